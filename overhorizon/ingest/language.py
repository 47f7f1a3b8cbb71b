"""Language identification with py3langid, whose model ships inside its wheel."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_SAMPLE_CHARS = 600


@dataclass(frozen=True, slots=True)
class Language:
    """An ISO 639-1 code and the detector's normalised probability (0-1)."""

    code: str
    confidence: float


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """Load the model once per process, on first use (never at import)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def detect_language(text: str, min_letters: int) -> Language | None:
    """Detect the language of ``text``; None when it has fewer than ``min_letters`` letters."""
    sample = text[:_SAMPLE_CHARS]
    if sum(1 for c in sample if c.isalpha()) < max(1, min_letters):
        return None
    code, prob = _identifier().classify(sample)
    return Language(code=str(code), confidence=round(float(prob), 4))
