"""Reading-level measurement: syllables, sentences, formulas and the per-section report."""

from .formulas import Figures, measure
from .report import ReadingReport, check_guide

__all__ = ["Figures", "ReadingReport", "check_guide", "measure"]
