"""Renderers: a finished Report -> text, Markdown or JSON. They format; they never compute."""

from __future__ import annotations

from collections.abc import Callable

from ..normalise import to_simplified, to_traditional_display

# The scripts document text can be shown in; matching always uses the normalised form.
DISPLAY_SCRIPTS: dict[str, Callable[[str], str]] = {
    "simplified": to_simplified,
    "traditional": to_traditional_display,
}
