"""Text colour readable on a fill: WCAG 2 relative luminance and contrast ratio."""

from __future__ import annotations

from matplotlib.colors import to_rgb

DARK, LIGHT = "#000000", "#FFFFFF"
MIN_RATIO = 4.5  # WCAG AA for normal text


def luminance(colour) -> float:
    """Relative luminance (0 black .. 1 white) of a matplotlib colour."""
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def ratio(a, b) -> float:
    """Contrast ratio of two colours, 1 (none) .. 21 (black on white)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_on(fill) -> str:
    """Black or white, whichever contrasts more with `fill` (at least 4.58:1 for any fill)."""
    return DARK if ratio(DARK, fill) >= ratio(LIGHT, fill) else LIGHT
