"""Reading-level check: syllables, sentences, formulas, plain-language rules located on the
source, the PEMAT items a program can judge, and the reports (terminal, JSON, HTML)."""

from .formulas import Figures, measure
from .report import ReadingReport, check_guide

__all__ = ["Figures", "ReadingReport", "check_guide", "measure"]
