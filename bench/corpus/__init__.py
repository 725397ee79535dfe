"""The realistic evaluation corpus: texts of the kinds people paste into prompts, with labelled
findings by the product's definitions (issue 4) and hard negatives; written without reading the
detectors."""

from .corpus import KINDS, generate, write_jsonl
from .document import TYPES, Sample, Span

__all__ = ["KINDS", "TYPES", "Sample", "Span", "generate", "write_jsonl"]
