"""Preprocess: numbers from a validated scenario (consolidation, baseline and BAU, time index, target rows,
model inputs). Pure Python and pandas; no Pyomo."""
