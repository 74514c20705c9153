"""Lantern's labelled corpus (corpus/*.jsonl) and its fixed split.

Each text's split is decided by a hash of the text itself, so adding lines never moves an
old line from validation into training: 70% train (learned from), 10% calibration (chooses
the model's thresholds), 20% validation (only ever measured, by `flask moderation evaluate
--validation`).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

CORPUS = Path(__file__).with_name("corpus")
SPLITS = ("train", "calibration", "validation")


def read_corpus(directory: Path = CORPUS) -> tuple[list[dict], str]:
    """Every labelled line (with its file's name), and one sha256 over the files' bytes."""
    rows, digest = [], hashlib.sha256()
    for path in sorted(directory.glob("*.jsonl")):
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + data)
        for line in data.decode("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                row["file"] = path.stem
                rows.append(row)
    return rows, digest.hexdigest()


def split_of(text: str) -> str:
    """train, calibration or validation: fixed by the text itself, whatever else changes."""
    bucket = int(hashlib.sha256(text.strip().lower().encode()).hexdigest()[:8], 16) % 100
    return "train" if bucket < 70 else "calibration" if bucket < 80 else "validation"


def split(rows: list[dict]) -> dict[str, list[dict]]:
    parts: dict[str, list[dict]] = {name: [] for name in SPLITS}
    for row in rows:
        parts[split_of(row["text"])].append(row)
    return parts
