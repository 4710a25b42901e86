"""Turn texts into unit-length sentence embeddings with the ONNX encoder `make embedder` builds.

onnxruntime runs the graph and tokenizers cuts the words, both from files on disk: no model is
ever fetched at run time. The encoder is loaded once per process (about 0.3 s) and shared;
`Encoder.encode` batches texts of similar length together so padding costs little.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Encoder", "EncoderMissing", "load_encoder"]

_BATCH = 32


class EncoderMissing(RuntimeError):
    """The encoder's files are not where they were looked for (run `make embedder`)."""


@dataclass(frozen=True)
class Encoder:
    """A loaded sentence encoder: `encode` returns one float32 row of unit length per text."""

    name: str
    dimensions: int
    max_tokens: int
    _session: Any
    _tokenizer: Any

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an (n, dimensions) float32 matrix; an empty text gets the empty sentence's row."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch([t or "" for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), _BATCH):
            chunk = order[start : start + _BATCH]
            width = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, i in enumerate(chunk):
                tokens = encodings[i].ids
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1
            (vectors,) = self._session.run(["embedding"], {"ids": ids, "mask": mask})
            out[chunk] = vectors
        return out


_loaded: dict[Path, Encoder] = {}
_lock = threading.Lock()


def load_encoder(folder: Path, *, threads: int = 0) -> Encoder:
    """Return the encoder in `folder` (model.onnx, tokenizer.json, manifest.json), loaded once.

    `threads` caps onnxruntime's threads (0: its default, every core).
    """
    folder = folder.resolve()
    with _lock:
        if folder in _loaded:
            return _loaded[folder]
        files = [folder / name for name in ("model.onnx", "tokenizer.json", "manifest.json")]
        missing = [f.name for f in files if not f.is_file()]
        if missing:
            raise EncoderMissing(
                f"The sentence encoder is not in {folder} (missing {', '.join(missing)}): "
                "run `make embedder` to build it."
            )
        import onnxruntime
        from tokenizers import Tokenizer

        manifest = json.loads(files[2].read_text())
        tokenizer = Tokenizer.from_file(str(files[1]))
        tokenizer.enable_truncation(max_length=int(manifest["max_tokens"]))
        tokenizer.no_padding()
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(
            str(files[0]), options, providers=["CPUExecutionProvider"]
        )
        encoder = Encoder(
            name=str(manifest["model"]),
            dimensions=int(manifest["dimensions"]),
            max_tokens=int(manifest["max_tokens"]),
            _session=session,
            _tokenizer=tokenizer,
        )
        _loaded[folder] = encoder
        return encoder
