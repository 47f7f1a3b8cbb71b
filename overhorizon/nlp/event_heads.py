"""Small learned heads on the sentence encoder: is it a happening, which PLOVER type, which mode.

Each head is a multinomial logistic regression over the 384-d MiniLM embedding
(:mod:`overhorizon.nlp.encoder`): a matrix product and a softmax. The weights ship in
``nlp/models/event_heads/heads.npz``; ``scripts/train_event_heads.py`` rebuilds them, and the README
beside them gives the data, the licences and the figures. A signal to combine with the rules,
not a replacement for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
"""The 16 PLOVER event types, in the order of the type head's columns."""


def heads_path() -> Path:
    """The shipped heads file."""
    return Path(str(resources.files("overhorizon.nlp").joinpath("models", "event_heads")))


@dataclass(frozen=True, slots=True)
class HeadReading:
    """What the heads read in one sentence's embedding.

    ``p_happening``: probability (0-1) that the sentence reports a specific happening.
    ``types``: every PLOVER type with its probability, most likely first (they sum to 1).
    ``mode``: the most likely mode of the most likely type ("" when that type is most likely
    without a mode; None when the type has no mode head); ``p_mode`` its probability.
    """

    p_happening: float
    types: tuple[tuple[str, float], ...]
    mode: str | None
    p_mode: float | None

    @property
    def plover_type(self) -> str:
        """The most likely PLOVER type."""
        return self.types[0][0]


@dataclass(frozen=True, slots=True)
class _Head:
    weights: np.ndarray  # (384, classes)
    bias: np.ndarray  # (classes,)
    labels: tuple[str, ...]

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        z = x @ self.weights + self.bias
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]


class EventHeads:
    """The happening, type and per-type mode heads, loaded from one ``.npz``."""

    def __init__(self, happening: _Head, types: _Head, modes: dict[str, _Head]):
        self._happening = happening
        self._types = types
        self._modes = modes

    @classmethod
    def load(cls, path: Path | None = None) -> EventHeads:
        """Read the heads (the shipped ones unless ``path`` names another file)."""
        with np.load(path or heads_path() / "heads.npz", allow_pickle=False) as data:

            def head(name: str) -> _Head:
                return _Head(
                    np.asarray(data[name + "_W"], dtype=np.float32),
                    np.asarray(data[name + "_b"], dtype=np.float32),
                    tuple(str(s) for s in data[name + "_labels"]),
                )

            modes = {
                key[5:-7]: head(key[:-7])
                for key in data.files
                if key.startswith("mode_") and key.endswith("_labels")
            }
            return cls(head("happening"), head("type"), modes)

    def mode_labels(self, plover_type: str) -> tuple[str, ...]:
        """The modes the head of ``plover_type`` tells apart ("" = none); () if it has none."""
        head = self._modes.get(plover_type)
        return head.labels if head else ()

    def predict(self, embeddings: np.ndarray) -> list[HeadReading]:
        """One reading per row of ``embeddings`` (n x 384, from the sentence encoder)."""
        x = np.asarray(embeddings, dtype=np.float32).reshape(-1, self._types.weights.shape[0])
        if not len(x):
            return []
        happening = self._happening.probabilities(x)[:, self._happening.labels.index("yes")]
        types = self._types.probabilities(x)
        mode_p = {t: h.probabilities(x) for t, h in self._modes.items()}
        out = []
        for row in range(len(x)):
            order = np.argsort(-types[row], kind="stable")
            ranked = tuple((self._types.labels[i], float(types[row, i])) for i in order)
            head = self._modes.get(ranked[0][0])
            mode: str | None = None
            p_mode: float | None = None
            if head is not None:
                best = int(np.argmax(mode_p[ranked[0][0]][row]))
                p_mode = float(mode_p[ranked[0][0]][row, best])
                mode = head.labels[best] or None  # "": the type without a mode
            out.append(HeadReading(float(happening[row]), ranked, mode, p_mode))
        return out
