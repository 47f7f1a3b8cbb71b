"""The shipped sentence encoder, the real model: shapes, meaning, determinism, bad input.

Every sentence here is written by us."""

from __future__ import annotations

import numpy as np
import pytest

from overhorizon.nlp.encoder import DIMENSIONS, SentenceEncoder, model_dir, shared_encoder
from overhorizon.settings import load_settings


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder(threads=1, batch_size=1)


def test_the_model_ships_with_its_licence() -> None:
    names = {p.name for p in model_dir().iterdir()}
    assert {"model.onnx", "tokenizer.json", "LICENSE", "NOTICE", "README.md"} <= names
    assert "Apache License" in (model_dir() / "LICENSE").read_text("utf-8")
    assert (model_dir() / "model.onnx").stat().st_size < 25_000_000


def test_one_unit_vector_per_text_in_order(encoder: SentenceEncoder) -> None:
    texts = ["Rebels shelled the northern town overnight.", "Talks resumed in the capital."]
    vectors = encoder.encode(texts)
    assert vectors.shape == (2, DIMENSIONS)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    one = encoder.encode(texts[1:])
    assert np.array_equal(one[0], vectors[1])


def test_similar_sentences_are_closer_than_unrelated_ones(encoder: SentenceEncoder) -> None:
    strike, shelling, harvest = encoder.encode(
        [
            "Artillery fire hit a village near the border, killing four farmers.",
            "Four villagers died when shells struck their homes close to the frontier.",
            "The ministry expects a record wheat harvest after a wet spring.",
        ]
    )
    assert float(strike @ shelling) > float(strike @ harvest) + 0.2
    assert float(strike @ shelling) > float(shelling @ harvest) + 0.2


def test_the_same_text_gives_the_same_vector_in_any_batch(encoder: SentenceEncoder) -> None:
    target = "Police arrested twelve protesters outside parliament on Monday."
    fillers = [f"Word {i} " * (i + 1) for i in range(9)]
    alone = encoder.encode([target])[0]
    mixed = encoder.encode([*fillers[:5], target, *fillers[5:]])[5]
    again = encoder.encode([target])[0]
    assert np.array_equal(alone, again)
    assert np.array_equal(alone, mixed)


def test_batches_move_a_vector_only_a_little() -> None:
    batched = SentenceEncoder(threads=1, batch_size=8)
    texts = ["Gunmen attacked a checkpoint at dawn.", *(f"filler number {i}" for i in range(7))]
    alone = batched.encode(texts[:1])[0]
    assert float(alone @ batched.encode(texts)[0]) > 0.97


def test_an_empty_list_gives_no_rows(encoder: SentenceEncoder) -> None:
    assert encoder.encode([]).shape == (0, DIMENSIONS)


def test_odd_input_does_not_crash(encoder: SentenceEncoder) -> None:
    odd = [
        "",
        "   \n\t ",
        "👍🏽🔥 ‮reversed‬ \u200b zero\u200dwidth",
        "قصف الطيران مدينة حلب",
        "\x00\x01 control \ufffd",
        "shelling " * 200_000,
    ]
    vectors = encoder.encode(odd)
    assert vectors.shape == (len(odd), DIMENSIONS)
    assert np.isfinite(vectors).all()
    long_one = encoder.encode(["shelling " * 120])[0]
    assert float(vectors[-1] @ long_one) > 0.999  # only the first 128 word pieces count


def test_one_encoder_per_process_and_settings() -> None:
    settings = load_settings(env={}, config_file=None, cwd=model_dir())
    first = shared_encoder(settings)
    assert shared_encoder(settings) is first
    assert first.threads == settings.encoder_threads
    assert first.batch_size == settings.encoder_batch_size
