"""Fixtures for the crisis-screening tests: the labelled files they evaluate."""
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

DEV_SET = REPO.parent / "shared" / "moderation" / "crisis-dev.jsonl"
OWN_CASES = Path(__file__).with_name("cases.jsonl")


@pytest.fixture
def dev_set() -> Path:
    """The shared labelled dev set, beside the repository; skip where it is absent."""
    if not DEV_SET.is_file():
        pytest.skip(f"dev set not found at {DEV_SET}")
    return DEV_SET


@pytest.fixture
def own_cases() -> Path:
    return OWN_CASES
