"""Text -> words for the word-level diff: jieba's segmentation, its dictionary read on demand.

jieba's dictionary holds 349,046 words (498,113 entries with their prefixes);
loading it takes about a second on the 2-core machines we target, more than
the rest of a comparison. Yet segmenting a text only ever looks up substrings
of that text. So the dictionary is kept once in an SQLite file in the cache
directory, and each text brings in just the entries its substrings hit, level
by level as jieba's own lookup extends a word: the words come out exactly as
with the whole dictionary, for a few milliseconds.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import types
from functools import cache
from pathlib import Path
from typing import Any

from .errors import PolicydiffError

# sqlite3, hashlib and tempfile are imported where they are used: a command that
# shows no word diff (targets, clauses) starts without them, and without jieba.

_NUMBER_OR_WORD = re.compile(r"\d+(?:[.．]\d+)?%?|[A-Za-z]+|\s+")
_BATCH = 500  # SQLite's default limit on bound parameters is 999
_LOCK = threading.RLock()
"""One lock for the lexicon: its connection, its dict and jieba's tokenizer are shared by
every thread of the process (a worker thread of a pool must find them usable)."""


def cache_dir() -> Path:
    """Where derived data lives: $POLICYDIFF_CACHE, else $XDG_CACHE_HOME or ~/.cache."""
    explicit = os.environ.get("POLICYDIFF_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "policydiff"


def _import_jieba() -> Any:
    # jieba imports pkg_resources only to locate its own files, which costs
    # ~0.2 s; without it jieba opens them from its package folder. Its HMM model
    # (jieba.finalseg, ~0.06 s of tables) serves only HMM=True, which we never ask
    # for: it is imported on first use, if ever.
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    _lazy_submodule("jieba", "finalseg")
    try:
        import jieba
    finally:
        if blocked:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(60)
    return jieba


class _OnDemand(types.ModuleType):
    """Stands in for a submodule until one of its attributes is asked for."""

    def __init__(self, name: str, path: Path) -> None:
        super().__init__(name)
        self._path = path

    def __getattr__(self, attr: str) -> Any:
        import importlib.util

        spec = importlib.util.spec_from_file_location(
            self.__name__, self._path, submodule_search_locations=[str(self._path.parent)]
        )
        assert spec is not None and spec.loader is not None
        real = importlib.util.module_from_spec(spec)
        sys.modules[self.__name__] = real
        spec.loader.exec_module(real)
        package, _, name = self.__name__.rpartition(".")
        setattr(sys.modules[package], name, real)
        return getattr(real, attr)


def _lazy_submodule(package: str, name: str) -> None:
    """Let package.name be imported on first use instead of with its package."""
    import importlib.util

    spec = importlib.util.find_spec(package)  # a top-level package: not imported by this
    if spec is None or not spec.submodule_search_locations:
        return
    path = Path(next(iter(spec.submodule_search_locations))) / name / "__init__.py"
    if path.exists():
        sys.modules[f"{package}.{name}"] = _OnDemand(f"{package}.{name}", path)


def _build(source: Path, target: Path) -> None:
    """jieba's dictionary as an SQLite table of words and prefixes, as jieba's FREQ holds it."""
    import sqlite3
    import tempfile

    freq: dict[str, int] = {}
    total = 0  # as jieba counts it: every line, a repeated word too
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) < 2:
                continue
            word, count = parts[0], int(parts[1])
            freq[word] = count
            total += count
            for end in range(1, len(word)):
                freq.setdefault(word[:end], 0)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(handle)
    try:
        with sqlite3.connect(partial) as db:
            db.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, count INTEGER) WITHOUT ROWID")
            db.executemany("INSERT INTO freq VALUES (?, ?)", sorted(freq.items()))
            db.execute("CREATE TABLE meta (total INTEGER)")
            db.execute("INSERT INTO meta VALUES (?)", (total,))
        os.chmod(partial, 0o644)  # mkstemp makes it private; the cache may be shared
        os.replace(partial, target)  # atomic: a reader never sees half a file
    finally:
        if os.path.exists(partial):
            os.remove(partial)


class _Lexicon:
    """jieba's FREQ, filled from the SQLite file with what the texts seen so far need."""

    def __init__(self, database: Path) -> None:
        import sqlite3

        # Any thread may use the connection; _LOCK keeps them from using it at once.
        self._db = sqlite3.connect(f"file:{database}?mode=ro", uri=True, check_same_thread=False)
        self.total = int(self._db.execute("SELECT total FROM meta").fetchone()[0])
        self.freq: dict[str, int] = {}
        self._asked: set[str] = set()
        self.cuts: dict[str, tuple[str, ...]] = {}
        """Texts cut before and their words: a batch cuts its reference's clauses again
        for every pair."""

    def _fetch(self, strings: set[str]) -> None:
        wanted = sorted(strings - self._asked)
        self._asked.update(wanted)
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start : start + _BATCH]
            marks = ",".join("?" * len(batch))
            rows = self._db.execute(f"SELECT word, count FROM freq WHERE word IN ({marks})", batch)
            self.freq.update(rows)

    def prepare(self, *texts: str) -> None:
        """Fetch every entry jieba's lookup can reach in `texts`: it extends a
        candidate word one character at a time while the longer string is an entry.
        All texts go level by level together: one query a level, not one a text."""
        starts = [(text, k) for text in texts for k in range(len(text))]
        length = 1
        while starts:
            self._fetch({text[k : k + length] for text, k in starts})
            freq = self.freq
            starts = [
                (text, k)
                for text, k in starts
                if k + length < len(text) and text[k : k + length] in freq
            ]
            length += 1


def _open_lexicon(source: Path, name: str, *, fresh: bool) -> _Lexicon:
    """The dictionary from the cache, built there first if missing, damaged (a cache
    restored half-written, or from another version) or asked `fresh`; else from the
    temporary folder."""
    import sqlite3
    import tempfile

    for folder in (cache_dir(), Path(tempfile.gettempdir()) / "policydiff"):
        database = folder / name
        for rebuild in (True,) if fresh else (False, True):
            try:
                if rebuild or not database.exists():
                    _build(source, database)
                return _Lexicon(database)
            except (OSError, sqlite3.Error):
                continue
    raise PolicydiffError(f"cannot write jieba's dictionary to {cache_dir()} or the temp folder")


@cache
def _segmenter(*, rebuild: bool = False) -> tuple[Any, _Lexicon]:
    import hashlib

    jieba = _import_jieba()
    source = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    # The file's size and its first and last 64 KB, not all its 5 MB: hashing those
    # took ~5 ms of every start. Any other jieba dictionary differs in them, and the
    # same one installed in several virtualenvs shares one cached file.
    size = source.stat().st_size
    with source.open("rb") as handle:
        head = handle.read(65536)
        handle.seek(max(size - 65536, 0))
        tail = handle.read()
    digest = hashlib.sha256(b"%d|%b|%b" % (size, head, tail)).hexdigest()[:16]
    lexicon = _open_lexicon(source, f"jieba-{digest}.sqlite", fresh=rebuild)
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = lexicon.freq  # the same dict object, filled as texts arrive
    tokenizer.total = lexicon.total
    tokenizer.initialized = True
    return tokenizer, lexicon


_CUTS_KEPT = 50_000


def _cut(text: str) -> list[str]:
    return _cut_all([text])[0]


def _cut_all(texts: list[str]) -> list[list[str]]:
    """jieba's words of each text; the entries they need fetched together."""
    import sqlite3

    with _LOCK:
        try:
            tokenizer, lexicon = _segmenter()
            new = [t for t in dict.fromkeys(texts) if t not in lexicon.cuts]
            lexicon.prepare(*new)
        except sqlite3.ProgrammingError:
            raise  # our misuse, not a damaged file: rebuilding would not help
        except sqlite3.Error:
            # A damaged page of the cached file shows only when it is read: build it afresh.
            _segmenter.cache_clear()
            tokenizer, lexicon = _segmenter(rebuild=True)
            lexicon.prepare(*new)
        found: list[list[str]] = []
        for text in texts:
            known = lexicon.cuts.get(text)
            if known is None:
                known = tuple(tokenizer.lcut(text, HMM=False))
                if len(lexicon.cuts) < _CUTS_KEPT:
                    lexicon.cuts[text] = known
            found.append(list(known))
        return found


def _after_fork() -> None:
    """A forked child (a process pool's worker) opens its own connection: SQLite's must
    not cross a fork, and a lock held by another thread at the fork would never open."""
    global _LOCK
    _LOCK = threading.RLock()
    _segmenter.cache_clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def words(text: str) -> list[str]:
    """Words of `text`; numbers (98.5%) and Latin words stay whole, and a run of spaces
    rides on the word before it, so "300 项" diffs as the words "300 " and "项"."""
    runs: list[tuple[bool, str]] = []  # (to cut, text)
    position = 0
    for match in _NUMBER_OR_WORD.finditer(text):
        if match.start() > position:
            runs.append((True, text[position : match.start()]))
        runs.append((False, match.group()))
        position = match.end()
    if position < len(text):
        runs.append((True, text[position:]))
    cut = iter(_cut_all([run for to_cut, run in runs if to_cut]))
    pieces: list[str] = []
    for to_cut, run in runs:
        pieces.extend(next(cut) if to_cut else [run])
    tokens: list[str] = []
    for piece in pieces:
        if tokens and piece.isspace():
            tokens[-1] += piece
        else:
            tokens.append(piece)
    return tokens
