"""The robust studies' report (stochastic roadmap and near-optimal alternatives), from their written frames:
HTML pages and decks per language, the workbooks (English and Chinese), the branch fan and the measure map
(html.py, deck.py, charts.py; the decks' takeaways: story.py). Never solves."""

from .deck import write_robust_deck
from .html import write_robust_report

__all__ = ["write_robust_deck", "write_robust_report"]
