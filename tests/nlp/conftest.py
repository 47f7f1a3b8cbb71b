"""Shared by the NLP tests: the pipeline (loaded once per session) and the seed's paths."""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED = SHARED / "seed" / "us-russia-bases-afghanistan.txt"
GOLD = SHARED / "seed" / "us-russia-bases-afghanistan.gold.json"
