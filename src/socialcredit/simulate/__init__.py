"""Synthetic city simulator: population, providers, behaviour and ground truth.

``simulate(out, persons=..., enterprises=..., years=..., seed=..., end=...)`` writes
``providers.jsonl``, ``records.jsonl`` / ``records.parquet`` and the ground truth
(``truth.json``, ``truth-*.parquet``) for the demo city, Weihai (Shandong).
"""

from socialcredit.simulate.api import SimulationSummary, simulate

__all__ = ["SimulationSummary", "simulate"]
