"""Measure kinds: one module each, found and registered on import (adding a kind = adding a module)."""

from __future__ import annotations

import importlib
import pkgutil

from .base import REGISTRY, AssetModel, MeasureModel, SizedAssetModel

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
    importlib.import_module(f"{__name__}.{_info.name}")

__all__ = ["REGISTRY", "AssetModel", "MeasureModel", "SizedAssetModel"]
