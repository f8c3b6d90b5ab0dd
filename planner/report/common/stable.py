"""Byte-reproducible files: the same plan gives the same bytes (charts, HTML, xlsx, pptx), so clients and version
control see only real change. Office files are zip packages whose entries carry the time of writing and whose
docProps/core.xml has created/modified times; both are set to a fixed time, or to the run time when the caller
asks for a visible stamp (`write_report(..., stamp=True)`)."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

FIXED_TIME = datetime(2000, 1, 1, tzinfo=UTC)  # the metadata time of every file unless a run stamp is asked for
SVG_HASH_SALT = "planner"  # matplotlib's svg.hashsalt: clip-path and marker ids from content, not from random


def run_stamp(stamp: bool | datetime | None) -> datetime | None:
    """The run time to show (UTC, whole seconds) when asked for, else None (fixed metadata, no visible stamp)."""
    if isinstance(stamp, datetime):
        return stamp.astimezone(UTC).replace(microsecond=0)
    return datetime.now(UTC).replace(microsecond=0) if stamp else None


def _core_times(xml: str, when: datetime) -> str:
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return re.sub(r"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)", rf"\g<1>{iso}\g<3>", xml)


def normalise_zip(path: Path, when: datetime | None = None) -> Path:
    """Rewrite an Office zip package with every entry dated `when` (default FIXED_TIME) in the same order and
    compression, and docProps/core.xml created/modified set to it."""
    when = when or FIXED_TIME
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = _core_times(data.decode("utf-8"), when).encode("utf-8")
            new = zipfile.ZipInfo(info.filename, date_time=stamp)
            new.compress_type, new.external_attr, new.create_system = info.compress_type, 0o600 << 16, 3
            z.writestr(new, data)
    return path
