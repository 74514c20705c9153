"""The learned signal: a small sentence encoder that reads what no lexicon phrase names.

all-MiniLM-L6-v2 (Apache-2.0, see model/NOTICE), fine-tuned on Lantern's own labelled corpus
(corpus/*.jsonl) by `python -m moderation.screening.train`, exported to ONNX and quantised to
int8. At run time only onnxruntime, tokenizers and NumPy are needed: no torch, no download.

How a text is read:
* the model sees the same normalised text as the rules (leetspeak undone, emoji as words,
  "gonna" as "going to"), so coded spellings reach it in plain words;
* the text is cut into windows of WINDOW tokens that overlap by WINDOW - STRIDE tokens, and
  every window is read (a risk sentence buried in a long post is in some window whole);
* each window gets three probabilities: at least elevated, at least high, imminent. The text
  takes each one's maximum over its windows, as the model was trained (multiple-instance:
  a post is as serious as its most serious window);
* the severity is the highest level whose probability reaches that level's threshold
  (chosen on a calibration split the model never trained on; see manifest.json);
* for the moderator, the three labelled training examples most similar to the deciding
  window ("reads like: ...").

Thread-safe: an onnxruntime session may be run from several threads at once, and nothing
here changes after loading.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .severity import Severity

ARTIFACTS = Path(__file__).with_name("model")
# Windows are short so that one risk sentence is a large part of the window it is in (in a
# 128-token window of ordinary news, "tonight I am going to use it" drowned). A chat line fits
# one window.
WINDOW = 64  # tokens per window, with [CLS] and [SEP]
STRIDE = 48  # a new window every STRIDE tokens: windows share 16 tokens
MAX_WINDOWS = 100  # covers a 20,000-character post (the forum's longest) whole
LEVELS = (Severity.ELEVATED, Severity.HIGH, Severity.IMMINENT)


class ModelUnavailable(RuntimeError):
    """The model's files are missing, damaged, or not the ones this code expects."""


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A labelled training example the text reads like."""

    text: str
    severity: Severity
    category: str
    similarity: float

    def to_dict(self) -> dict:
        return {"text": self.text, "severity": self.severity.value, "category": self.category,
                "similarity": round(self.similarity, 3)}


@dataclass(frozen=True, slots=True)
class Reading:
    """What the model makes of a text."""

    severity: Severity
    probability: float  # that the text is at least `severity` (of being none, for NONE)
    at_least: tuple[float, float, float]  # P(>= elevated), P(>= high), P(imminent)
    windows: int
    neighbours: tuple[Neighbour, ...] = ()

    @classmethod
    def from_probabilities(cls, at_least, thresholds, windows: int = 1, neighbours=()) -> "Reading":
        """The highest level whose threshold is reached. The three outputs are trained
        separately, so they are first made to agree with their meaning: a text is at least as
        likely to be "at least elevated" as "at least high", and that as imminent (each takes
        the largest of itself and the levels above it)."""
        at_least = np.maximum.accumulate(np.asarray(at_least, dtype=np.float64)[::-1])[::-1]
        level = sum(1 for p, t in zip(at_least, thresholds) if p >= t)  # thresholds rise with the level
        probability = float(at_least[level - 1]) if level else float(1.0 - at_least[0])
        return cls((Severity.NONE, *LEVELS)[level], probability, tuple(float(p) for p in at_least),
                   windows, tuple(neighbours))

    def to_dict(self) -> dict:
        return {"severity": self.severity.value, "probability": round(self.probability, 3),
                "at_least": {level.value: round(p, 3) for level, p in zip(LEVELS, self.at_least)},
                "windows": self.windows, "neighbours": [n.to_dict() for n in self.neighbours]}


def windows(ids: list[int], cls_id: int, sep_id: int, window: int = WINDOW, stride: int = STRIDE,
            most: int = MAX_WINDOWS) -> list[list[int]]:
    """Token ids (without special tokens) cut into overlapping windows, each wrapped in
    [CLS] ... [SEP]. Beyond `most` windows, the first and the last halves are kept."""
    body = window - 2
    starts = list(range(0, max(len(ids) - (body - stride), 1), stride)) or [0]
    if len(starts) > most:
        starts = starts[: most // 2] + starts[-(most - most // 2):]
    return [[cls_id, *ids[s:s + body], sep_id] for s in starts]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _readable(text: str) -> str:
    # Lone surrogates cannot cross into the tokenizer (Rust strings are valid UTF-8).
    return text.encode("utf-8", "replace").decode("utf-8")


class Model:
    """The shipped encoder, its head, and the labelled examples it explains itself with."""

    def __init__(self, directory: Path = ARTIFACTS):
        import onnxruntime
        from tokenizers import Tokenizer

        manifest_path = directory / "manifest.json"
        if not manifest_path.is_file():
            raise ModelUnavailable(f"no screening model at {directory} (manifest.json is missing)")
        self.manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if self.manifest.get("window") != {"tokens": WINDOW, "stride": STRIDE}:
            raise ModelUnavailable(f"the screening model at {directory} was trained on windows of "
                                   f"{self.manifest.get('window')}, the code reads {WINDOW}/{STRIDE}: retrain it")
        for name, expected in self.manifest["files"].items():
            path = directory / name
            if not path.is_file():
                raise ModelUnavailable(f"screening model file {path} is missing")
            if (actual := sha256(path)) != expected:
                raise ModelUnavailable(
                    f"screening model file {path} is not the one shipped (sha256 {actual[:12]}…, "
                    f"manifest.json expects {expected[:12]}…): rebuild it with "
                    "`python -m moderation.screening.train` or restore it from git")
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.cls_id = self.tokenizer.token_to_id("[CLS]")
        self.sep_id = self.tokenizer.token_to_id("[SEP]")
        options = onnxruntime.SessionOptions()
        # One thread per reading: a long post then takes one core, and the other core keeps
        # serving everyone else.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(directory / "encoder.int8.onnx"), options,
                                                    providers=["CPUExecutionProvider"])
        head = np.load(directory / "head.npz")
        self.weight = head["weight"].astype(np.float32)  # (384, 3)
        self.bias = head["bias"].astype(np.float32)  # (3,)
        self.thresholds = tuple(float(t) for t in self.manifest["thresholds"])
        self.example_vectors, self.examples = np.zeros((0, self.weight.shape[0]), np.float32), []
        if "examples.npz" in self.manifest["files"]:  # (training writes them last)
            self.example_vectors = np.load(directory / "examples.npz")["vectors"].astype(np.float32)
            rows = [json.loads(line) for line in
                    (directory / "examples.jsonl").read_text(encoding="utf-8").splitlines() if line]
            self.examples = [(r["text"], Severity(r["severity"]), r["category"]) for r in rows]
        if len(self.examples) != len(self.example_vectors):
            raise ModelUnavailable("examples.jsonl and examples.npz disagree")

    # -- reading ------------------------------------------------------------------------------

    def embed(self, text: str) -> np.ndarray:
        """Unit-length embeddings of every window of `text` (already normalised)."""
        ids = self.tokenizer.encode(_readable(text), add_special_tokens=False).ids
        chunks = windows(ids, self.cls_id, self.sep_id)
        width = max(map(len, chunks))
        input_ids = np.zeros((len(chunks), width), dtype=np.int64)
        mask = np.zeros((len(chunks), width), dtype=np.int64)
        for i, chunk in enumerate(chunks):
            input_ids[i, :len(chunk)] = chunk
            mask[i, :len(chunk)] = 1
        (vectors,) = self.session.run(["embedding"], {"input_ids": input_ids, "attention_mask": mask})
        return vectors

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """(windows, 3): P(>= elevated), P(>= high), P(imminent) per window, kept ordered."""
        p = 1.0 / (1.0 + np.exp(-(vectors @ self.weight + self.bias)))
        return np.minimum.accumulate(p, axis=1)

    def read(self, text: str, explain: bool = True) -> Reading:
        vectors = self.embed(text)
        per_window = self.probabilities(vectors)
        reading = Reading.from_probabilities(per_window.max(axis=0), self.thresholds, len(vectors))
        if not explain:
            return reading
        deciding = vectors[int(per_window[:, max(reading.severity.rank - 1, 0)].argmax())]
        return dataclasses.replace(reading, neighbours=self.nearest(deciding))

    def nearest(self, vector: np.ndarray, k: int = 3) -> tuple[Neighbour, ...]:
        if not self.examples:
            return ()
        similarity = self.example_vectors @ vector
        best = np.argpartition(-similarity, k)[:k] if len(similarity) > k else np.arange(len(similarity))
        best = best[np.argsort(-similarity[best])]
        return tuple(Neighbour(*self.examples[i], float(similarity[i])) for i in best)


_loaded: Model | None = None
_lock = threading.Lock()


def load() -> Model:
    """The shared model from ARTIFACTS, loaded once (raises ModelUnavailable)."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = Model(ARTIFACTS)
    return _loaded
