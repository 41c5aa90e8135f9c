"""policydiff: compare two versions of a Chinese policy document.

The public API: `compare(old, new, *, options)` over `Document`s (or documents
`parse` already read, to compare one with many), `load` to read one from disk,
and the model and error types.
"""

from .errors import InputError, PolicydiffError, UsageError
from .load import load
from .model import (
    Alignment,
    AlignParams,
    Clause,
    ClauseKind,
    ClauseStatus,
    Comparator,
    Direction,
    Document,
    Options,
    ParsedDocument,
    Report,
    Script,
    Target,
    TargetChange,
    TargetStatus,
)
from .pipeline import compare, parse

__version__ = "0.1.0"

__all__ = [
    "AlignParams",
    "Alignment",
    "Clause",
    "ClauseKind",
    "ClauseStatus",
    "Comparator",
    "Direction",
    "Document",
    "InputError",
    "Options",
    "ParsedDocument",
    "PolicydiffError",
    "Report",
    "Script",
    "Target",
    "TargetChange",
    "TargetStatus",
    "UsageError",
    "__version__",
    "compare",
    "load",
    "parse",
]
