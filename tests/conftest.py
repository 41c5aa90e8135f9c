"""Shared test set-up: hypothesis profiles and paths."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

# CI runs derandomised so a red build is reproducible; locally hypothesis explores freely.
settings.register_profile("ci", derandomize=True, deadline=None, max_examples=60)
settings.register_profile("dev", deadline=None, max_examples=60)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def sample_pair() -> tuple[str, str]:
    """The draft and final sample texts, as decoded from data/."""
    return (
        (DATA / "draft_2023.txt").read_text(encoding="utf-8"),
        (DATA / "final_2024.txt").read_text(encoding="utf-8"),
    )


@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports speak the locale's language (--lang); tests pin English unless they say."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
