"""The learned model as shipped: the artifact is the one the code expects, it loads offline
without torch, reads every window of a long post, and explains itself."""
import json
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest

from moderation.screening import model as learned
from moderation.screening.labelled import read_corpus
from moderation.screening.severity import Severity

ARTIFACTS = learned.ARTIFACTS


@pytest.fixture(scope="module")
def shipped():
    return learned.load()


def test_every_shipped_file_has_the_sha256_in_the_manifest():
    manifest = json.loads((ARTIFACTS / "manifest.json").read_text())
    assert set(manifest["files"]) == {"encoder.int8.onnx", "head.npz", "tokenizer.json",
                                      "examples.npz", "examples.jsonl"}
    for name, digest in manifest["files"].items():
        assert learned.sha256(ARTIFACTS / name) == digest, f"{name} is not the file that was trained"


def test_the_model_was_trained_on_the_corpus_in_the_repository():
    """Editing corpus/ without retraining fails here: run python -m moderation.screening.train."""
    manifest = json.loads((ARTIFACTS / "manifest.json").read_text())
    _, corpus_hash = read_corpus()
    assert manifest["corpus_sha256"] == corpus_hash


def test_the_artifact_fits_the_code(shipped):
    manifest = shipped.manifest
    assert manifest["window"] == {"tokens": learned.WINDOW, "stride": learned.STRIDE}
    assert [i.name for i in shipped.session.get_inputs()] == ["input_ids", "attention_mask"]
    assert [o.name for o in shipped.session.get_outputs()] == ["embedding"]
    vectors = shipped.embed("hello there")
    assert vectors.shape == (1, shipped.weight.shape[0]) and shipped.weight.shape[1] == 3
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert len(shipped.examples) == len(shipped.example_vectors) > 1000
    low, mid, high = manifest["thresholds"]
    assert 0 < low <= mid <= high < 1
    # int8: about 23 MB, not the 90 MB of the float weights
    assert (ARTIFACTS / "encoder.int8.onnx").stat().st_size < 30_000_000


def test_a_damaged_file_is_refused_with_a_clear_message(tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(ARTIFACTS, copy)
    data = bytearray((copy / "head.npz").read_bytes())
    data[-1] ^= 0xFF
    (copy / "head.npz").write_bytes(bytes(data))
    with pytest.raises(learned.ModelUnavailable, match="head.npz is not the one shipped"):
        learned.Model(copy)


def test_a_missing_model_is_refused(tmp_path):
    with pytest.raises(learned.ModelUnavailable, match="manifest.json is missing"):
        learned.Model(tmp_path)


def test_runs_without_torch_or_network():
    """The forum's screening path imports neither torch nor transformers."""
    code = ("import sys; from moderation.screening import screen; "
            "s = screen('Bought a gun today. I know what I am going to use it for'); "
            "assert s.model is not None; "
            "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "NO_PROXY": "*",
                              "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"},
                         cwd=ARTIFACTS.parents[2])
    assert out.stdout.strip() == "[]"


def test_windows_cover_every_token():
    ids = list(range(1000, 1000 + 700))
    chunks = learned.windows(ids, 101, 102)
    assert all(c[0] == 101 and c[-1] == 102 and len(c) <= learned.WINDOW for c in chunks)
    seen = {t for c in chunks for t in c[1:-1]}
    assert seen == set(ids)


def test_a_short_text_is_one_window(shipped):
    assert shipped.read("feeling a bit low today").windows == 1


def test_the_last_window_of_a_long_post_is_read_too(shipped):
    """Far past the first 256 tokens, the end of a 5,000-character post still counts."""
    filler = ("Work was fine, I walked the dog, the bus was late again and I made soup for dinner. "
              "My sister called about the weekend plans and we laughed about the old flat. ")
    post = filler * 31 + "I bought a rope yesterday and tonight I am going to use it."
    assert len(post) > 5000
    reading = shipped.read(post)
    assert reading.windows > 20
    assert reading.severity >= Severity.HIGH
    calm = shipped.read(filler * 32)
    assert calm.severity == Severity.NONE


def test_every_reading_names_three_labelled_examples(shipped):
    reading = shipped.read("I mixed the pills with vodka. Starting to feel it")
    assert len(reading.neighbours) == 3
    corpus_texts = {r["text"][:280] for r in read_corpus()[0]}
    assert all(n.text in corpus_texts for n in reading.neighbours)
    sims = [n.similarity for n in reading.neighbours]
    assert sims == sorted(sims, reverse=True) and sims[0] > 0.5


def test_chat_sized_texts_are_read_fast(shipped):
    shipped.read("warm up")
    times = []
    for i in range(200):
        t0 = time.perf_counter()
        shipped.read(f"ngl today was rough, message {i}, might just go to bed early")
        times.append(time.perf_counter() - t0)
    # The median, which a busy machine barely moves; the bench measures the real p99.
    assert sorted(times)[len(times) // 2] < 0.02
