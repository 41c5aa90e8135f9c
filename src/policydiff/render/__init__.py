"""Renderers: a finished Report -> text, Markdown or JSON. They format; they never compute."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import UsageError
from ..normalise import to_simplified, to_traditional_display

# The scripts document text can be shown in; matching always uses the normalised form.
DISPLAY_SCRIPTS: dict[str, Callable[[str], str]] = {
    "simplified": to_simplified,
    "traditional": to_traditional_display,
}


def display(script: str) -> Callable[[str], str]:
    """The converter that shows document text in `script`; a UsageError for any other name."""
    try:
        return DISPLAY_SCRIPTS[script]
    except KeyError:
        choices = ", ".join(DISPLAY_SCRIPTS)
        raise UsageError(f"--script must be one of {choices}, got {script!r}") from None
