"""The ONNX encoder built from the PyPI package gives sentence-transformers' own vectors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cultivate.core.semantics.encoder import EncoderMissing, load_encoder
from cultivate.tools.embedder_export import read_safetensors

REFERENCE = Path(__file__).with_name("sentence_transformers_vectors.json")


def test_the_encoder_gives_the_vectors_sentence_transformers_gives(encoder_dir: Path) -> None:
    reference = json.loads(REFERENCE.read_text())
    vectors = load_encoder(encoder_dir).encode(reference["texts"])
    expected = np.array(reference["vectors"], dtype=np.float32)
    # The texts include an empty one, accents, emoji, code and a 400-word text cut at 256 tokens.
    assert vectors.shape == expected.shape == (6, 384)
    assert np.abs(vectors - expected).max() < 1e-4


def test_vectors_are_unit_length_and_paraphrases_lie_close(encoder_dir: Path) -> None:
    encoder = load_encoder(encoder_dir)
    a, b, c = encoder.encode(
        [
            "How do I reset my password?",
            "I forgot my password, how can I change it",
            "Which grease suits a bearing at 3,000 rpm?",
        ]
    )
    assert np.allclose([a @ a, b @ b, c @ c], 1.0, atol=1e-5)
    assert a @ b > 0.6 > 0.2 > a @ c


def test_texts_are_encoded_in_their_order_whatever_their_length(encoder_dir: Path) -> None:
    encoder = load_encoder(encoder_dir)
    texts = ["short", "a much longer sentence about pumps and seals " * 5, "mid length text here"]
    together = encoder.encode(texts)
    alone = np.vstack([encoder.encode([t]) for t in texts])
    assert np.abs(together - alone).max() < 1e-4
    assert encoder.encode([]).shape == (0, 384)


def test_a_missing_encoder_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(EncoderMissing, match=r"missing model\.onnx.*make embedder"):
        load_encoder(tmp_path)


def test_safetensors_are_read_with_their_shapes_and_types() -> None:
    header = json.dumps(
        {
            "__metadata__": {"format": "pt"},
            "a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
            "b": {"dtype": "I64", "shape": [1], "data_offsets": [16, 24]},
        }
    ).encode()
    body = np.array([1, 2, 3, 4], np.float32).tobytes() + np.array([7], np.int64).tobytes()
    data = len(header).to_bytes(8, "little") + header + body
    tensors = read_safetensors(data)
    assert tensors["a"].tolist() == [[1, 2], [3, 4]]
    assert tensors["b"].dtype == np.int64
    assert tensors["b"].tolist() == [7]
