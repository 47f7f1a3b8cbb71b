"""The shipped sentence encoder: all-MiniLM-L6-v2, int8 ONNX, on onnxruntime.

``encode(texts)`` gives one unit-length 384-dimensional float32 vector per text (mean of the token
states over the text's first 128 word pieces, L2 normalised), so that the dot product of two rows
is their cosine similarity. The model and its tokenizer ship in ``nlp/models/minilm/`` (see the
README there: weights, licence, how it was built); nothing is downloaded and no torch is needed.

Loading costs about 0.3 s and some 60 MB; :func:`shared_encoder` keeps one encoder per process
and per thread count, loaded on first use, never at import.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from overhorizon.settings import Settings

DIMENSIONS = 384
"""Length of every embedding."""
MAX_TOKENS = 128
"""Word pieces read of each text, [CLS] and [SEP] included; the rest is ignored."""
MAX_CHARS = 20_000
"""Characters of a text handed to the tokenizer: far more than 128 word pieces need, so that a
huge string costs no more than a long sentence."""
PAD_ID = 0


def model_dir() -> Path:
    """The folder of the shipped model (model.onnx, tokenizer.json, LICENSE, NOTICE)."""
    return Path(str(resources.files("overhorizon.nlp").joinpath("models", "minilm")))


class SentenceEncoder:
    """One onnxruntime session and its tokenizer; ``encode`` is safe to call repeatedly."""

    def __init__(self, directory: Path | None = None, threads: int = 1, batch_size: int = 1):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = directory or model_dir()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer = tokenizer
        self.batch_size = batch_size
        self.threads = threads

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings of ``texts``, shape (len(texts), 384), float32, in their order.

        Texts are batched by length (little padding); with ``batch_size`` 1 a text's vector does
        not depend on the other texts (the int8 model scales activations per batch). An empty
        text gets the embedding of an empty sentence, never an error."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        pieces = [e.ids for e in self._tokenizer.encode_batch([t[:MAX_CHARS] for t in texts])]
        order = sorted(range(len(texts)), key=lambda i: len(pieces[i]))
        for start in range(0, len(order), self.batch_size):
            chosen = order[start : start + self.batch_size]
            width = max(len(pieces[i]) for i in chosen)
            ids = np.full((len(chosen), width), PAD_ID, dtype=np.int64)
            mask = np.zeros((len(chosen), width), dtype=np.int64)
            for row, i in enumerate(chosen):
                ids[row, : len(pieces[i])] = pieces[i]
                mask[row, : len(pieces[i])] = 1
            result = self._session.run(["embedding"], {"input_ids": ids, "attention_mask": mask})
            out[chosen] = np.asarray(result[0], dtype=np.float32)
        return out


@functools.cache
def _cached(threads: int, batch_size: int) -> SentenceEncoder:
    return SentenceEncoder(threads=threads, batch_size=batch_size)


def shared_encoder(settings: Settings) -> SentenceEncoder:
    """The process's encoder for ``settings`` (threads, batch size), loaded on first call."""
    return _cached(settings.encoder_threads, settings.encoder_batch_size)
