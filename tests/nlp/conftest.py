"""Shared by the NLP tests: the pipeline (loaded once per session) and the seed's paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from overhorizon.nlp.pipeline import load_pipeline

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED = SHARED / "seed" / "us-russia-bases-afghanistan.txt"
GOLD = SHARED / "seed" / "us-russia-bases-afghanistan.gold.json"


@pytest.fixture(scope="session")
def nlp() -> Any:
    """The extraction pipeline, as every command loads it."""
    return load_pipeline()
