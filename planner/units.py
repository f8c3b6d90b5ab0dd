"""Unit factors between reporting units (MWh, tCO2e, CNY) and model units (GWh, ktCO2e, MCNY).

The model is scaled so that its coefficients stay within a few orders of magnitude (docs/model.md §1):
preprocess and the measure modules multiply by the `..._TO_...` factors into model units, postprocess by
their inverses back into reporting units. Every conversion in planner/ uses one of these names.
"""

MWH_TO_GWH = 1e-3
T_TO_KT = 1e-3
CNY_TO_MCNY = 1e-6
GWH_TO_MWH = 1e3
KT_TO_T = 1e3
MCNY_TO_CNY = 1e6

# unit prices and unit costs (CNY per reporting unit -> MCNY per model unit)
CNY_PER_MWH_TO_MCNY_PER_GWH = CNY_TO_MCNY / MWH_TO_GWH  # 1e-3
CNY_PER_T_TO_MCNY_PER_KT = CNY_TO_MCNY / T_TO_KT  # 1e-3
CNY_PER_KW_TO_MCNY_PER_MW = CNY_TO_MCNY * 1e3  # 1 MW = 1000 kW
CNY_PER_KWH_TO_MCNY_PER_MWH = CNY_TO_MCNY * 1e3  # 1 MWh = 1000 kWh
CNY_PER_TPA_TO_MCNY_PER_KTPA = CNY_PER_T_TO_MCNY_PER_KT  # capacity in t/yr -> kt/yr
MWH_PER_T_TO_GWH_PER_KT = MWH_TO_GWH / T_TO_KT  # 1.0
T_PER_MWH_TO_KT_PER_GWH = T_TO_KT / MWH_TO_GWH  # 1.0: emission factors and grid factors
KG_TO_T = 1e-3
