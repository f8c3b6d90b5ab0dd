"""Postprocess: tidy result frames from a solved model (results, attribution, plan MACC), the SBTi check and
the assumptions table. Never solves."""
