"""Renderers: a finished Report -> text, Markdown or JSON. They format; they never compute."""
