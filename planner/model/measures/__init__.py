"""Registry of measure types: kind -> model class. Adding a type = adding a class here."""

from __future__ import annotations

from .base import AssetModel, MeasureModel, SizedAssetModel
from .ccus import CCUSModel
from .contracts import CarbonCreditsModel, GreenPowerModel
from .efficiency import EfficiencyModel
from .heat import HeatSupplyModel
from .onsite import OnsiteGenerationModel, StorageModel
from .process import ProcessModel
from .supply_chain import SupplyChainModel

REGISTRY: dict[str, type[MeasureModel]] = {}
for _cls in (EfficiencyModel, HeatSupplyModel, OnsiteGenerationModel, StorageModel, ProcessModel, CCUSModel,
             GreenPowerModel, CarbonCreditsModel, SupplyChainModel):
    for _k in _cls.kinds:
        REGISTRY[_k] = _cls

__all__ = ["REGISTRY", "AssetModel", "MeasureModel", "SizedAssetModel"]
