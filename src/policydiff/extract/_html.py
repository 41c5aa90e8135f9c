"""A saved web page -> the paragraphs of its article, without the page around them."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import InputError, LimitError
from ..patterns import TERMINAL
from . import Block, one_line

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Elements whose text is never article text.
# fmt: off
_DROP_TAGS = frozenset({
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
    "applet", "svg", "math", "canvas", "map", "area", "audio", "video", "source", "track", "nav",
    "aside", "footer", "button", "select", "option", "optgroup", "textarea", "input", "label",
    "dialog", "menu",
})
# fmt: on
# Class and id words of page furniture: navigation, share buttons, footers, sidebars.
_FURNITURE = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumbs?|crumbs?|footer|foot|bottom|copyright|share|"
    r"bdshare|sharebox|sidebar|side|aside|related|xgwz|xglj|comment|comments|toolbar|tools|"
    r"print|search|login|banner|advert|ads?|qrcode|ewm|erweima|header|topbar|skip|"
    r"location|dqwz|pager|pagination|font-size|fontsize)(?:$|[-_\s\d])"
    # Alone, not as a CSS utility's part (position-relative, overflow-hidden):
    r"|(?:^|\s)(?:position|hidden|hide)(?:$|\s)",
    re.IGNORECASE,
)
# Furniture holds little of a page's text; an element holding this share of it is the
# page's content whatever its class says (a framework's container-side-nav…).
_CONTENT_SHARE = 0.5
# fmt: off
_BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "table",
    "thead", "tbody", "tfoot", "tr", "caption", "blockquote", "pre", "section", "article",
    "main", "header", "figure", "figcaption", "address", "center", "hr", "form", "fieldset",
})
# fmt: on
_CELL_TAGS = frozenset(("td", "th"))
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\n\f]+")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# A line break in the source between two Chinese characters is no space (CSS Text 3: segment
# breaks between East Asian wide characters are removed); elsewhere it is one.
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_WIDE}])[ \t]*[\r\n][ \t\r\n]*(?=[{_WIDE}])")
_HTML_OPEN = re.compile(r"<html[\s>]", re.IGNORECASE)
_HTML_CLOSE = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
# Class words of a title above the article: title, bt (标题), tit.
_TITLE_CLASS = re.compile(r"(?:^|[-_\s])(?:title|bt|tit)(?:$|[-_\s\d])", re.IGNORECASE)
# A table row whose cells hold these is page layout, not a row of data.
_LAYOUT = frozenset({"p", "div", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"})
# Stands for <br> while text is gathered, so that the source's own line breaks can fold.
_BR = "\x00"
# Descend into a child while it holds this share of its parent's text.
_BODY_SHARE = 0.75


def blocks(markup: str, *, path: str) -> tuple[Block, ...]:
    """The article of a web page: its title and paragraphs, without the page around them.

    Navigation, scripts, styles, sidebars, share buttons and footers are dropped;
    the article is the element that holds most of the page's text outside links
    (see docs/formats.md).
    """
    from lxml import etree
    from lxml import html as lxml_html

    markup = _XML_DECLARATION.sub("", markup, count=1)  # lxml refuses it in a str
    if not markup.strip():
        return ()
    if _HTML_OPEN.search(markup[:4096]) and not _HTML_CLOSE.search(markup) and _cut_off(markup):
        raise InputError(
            "truncated HTML page: it ends before </body> and </html>, elements left open",
            path=path,
        )
    # huge_tree: without it libxml2 stops at 256 levels of nesting or a text node over
    # 10 MB (a data: image, a big script) and silently drops the rest of the page.
    parser = lxml_html.HTMLParser(huge_tree=True)
    try:
        root = lxml_html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise InputError(f"cannot read the HTML: {one_line(error)}", path=path) from None
    for entry in parser.error_log:
        if "Excessive depth" in entry.message or "limit exceeded" in entry.message.lower():
            # Even huge_tree stops at 2,048 levels: refuse rather than drop the rest.
            raise LimitError(
                f"the page nests its elements deeper than the {MAX_DEPTH:,} levels that can "
                "be read, so part of its text would be lost",
                path=path,
            )
    depth = _depth(root)
    if depth > MAX_DEPTH:
        raise LimitError(
            f"the page nests its elements {depth:,} levels deep, more than the {MAX_DEPTH:,} "
            "that can be read",
            path=path,
        )
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 3 * depth + 500))  # the walks below recurse per level
    try:
        return _blocks(root, path)
    finally:
        sys.setrecursionlimit(limit)


# libxml2 reads at most this many levels of nesting, even with huge_tree.
MAX_DEPTH = 2048


def _depth(root: HtmlElement) -> int:
    """How deep elements nest under `root`, counted without recursion."""
    deepest = 0
    stack = [(root, 1)]
    while stack:
        element, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in element)
    return deepest


def _blocks(root: HtmlElement, path: str) -> tuple[Block, ...]:
    _drop_furniture(root)
    body = root.find("body")
    if body is None:
        body = root
    sizes: dict[HtmlElement, int] = {}
    _text_size(body, sizes)
    article = _article(body, sizes)
    paragraphs = _html_paragraphs(article)
    title = _title_before(root, article)
    if title and (not paragraphs or paragraphs[0] != title):
        paragraphs.insert(0, title)
    if not paragraphs:
        raise InputError(
            "no text in the HTML page (is it drawn by JavaScript? save the page after it "
            "has loaded, or its text)",
            path=path,
        )
    return tuple(Block(text, f"paragraph {n}") for n, text in enumerate(paragraphs, start=1))


_CONTAINER_OPEN = re.compile(r"<(div|table|section|article|ul|ol)[\s>]", re.IGNORECASE)
_CONTAINER_CLOSE = re.compile(r"</(div|table|section|article|ul|ol)\s*>", re.IGNORECASE)


def _cut_off(markup: str) -> bool:
    """Whether a page without </body> and </html> was cut off rather than written so: it
    stops inside a tag or a comment, or leaves containers (<div>, <table>…) open, which
    HTML, unlike </body>, never lets one leave out."""
    tail = markup.rstrip()
    if tail.rfind("<") > tail.rfind(">") or tail.rfind("<!--") > tail.rfind("-->"):
        return True
    if tail and not tail.endswith(">") and tail[-1] not in TERMINAL:
        return True  # it stops in the middle of a sentence: a paragraph cut off
    return len(_CONTAINER_OPEN.findall(markup)) > len(_CONTAINER_CLOSE.findall(markup))


def _classes(element: HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}".strip()


def _drop_furniture(root: HtmlElement) -> None:
    """Remove what is never article text: scripts, navigation, hidden and furniture elements."""
    total = len("".join(root.itertext()).strip()) or 1
    doomed = []
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments and processing instructions
            doomed.append(element)
            continue
        tag = element.tag.lower()
        if (
            tag in _DROP_TAGS
            or (tag == "header" and not _inside(element, ("article", "main")))
            or element.get("hidden") is not None
            or element.get("aria-hidden") == "true"
            or _HIDDEN.search(element.get("style") or "")
            or (
                _FURNITURE.search(_classes(element))
                and len("".join(element.itertext()).strip()) < _CONTENT_SHARE * total
            )
        ):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is None:
            continue
        if element is root or element.tag in ("body", "html"):
            continue
        tail = element.tail
        parent = element.getparent()
        if tail and tail.strip():  # the text after an element belongs to its parent
            previous = element.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(element)


def _inside(element: HtmlElement, tags: Sequence[str]) -> bool:
    return any(isinstance(a.tag, str) and a.tag.lower() in tags for a in element.iterancestors())


def _count(text: str | None) -> int:
    return sum(1 for char in text if not char.isspace()) if text else 0


def _text_size(element: HtmlElement, sizes: dict[HtmlElement, int]) -> int:
    """Non-blank characters under `element` outside links, cached in `sizes`."""
    linked = isinstance(element.tag, str) and element.tag.lower() == "a"
    total = 0 if linked else _count(element.text)
    for child in element:
        if isinstance(child.tag, str):
            inner = _text_size(child, sizes)
            total += 0 if linked else inner
        total += _count(child.tail)
    sizes[element] = total
    return total


def _article(body: HtmlElement, sizes: dict[HtmlElement, int]) -> HtmlElement:
    """The element that holds the article: go down while one child holds most of the text."""
    node = body
    while True:
        children = [c for c in node if isinstance(c.tag, str) and sizes.get(c, 0) > 0]
        if not children:
            return node
        best = max(children, key=lambda c: sizes[c])
        if sizes[best] < _BODY_SHARE * sizes[node] or best.tag.lower() in ("p", "li"):
            return node  # a paragraph is never the article: its parent holds the rest of it
        node = best


def _title_before(root: HtmlElement, article: HtmlElement) -> str | None:
    """The page's title heading when it stands before the article, outside it."""
    title: str | None = None
    for element in root.iter():
        if element is article:
            break
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "h1" or (
            tag in ("div", "p", "h2", "td", "span") and _TITLE_CLASS.search(_classes(element))
        ):
            text = _SPACES.sub(" ", element.text_content()).strip()
            linked = "".join(a.text_content() for a in element.iter("a"))
            if 0 < len(text) <= 200 and _count(text) > _count(linked):  # not a logo link
                title = text
    return title


def _html_paragraphs(article: HtmlElement) -> list[str]:
    """The text of an element as paragraphs: one per block element and per line (<br>)."""
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = _CJK_BREAK.sub("", "".join(current))
        current.clear()
        # Pages often set paragraphs apart with <br> alone: each line counts as one.
        lines = (_SPACES.sub(" ", line).strip() for line in text.split(_BR))
        out.extend(line for line in lines if line)

    def walk(element: HtmlElement, preformatted: bool) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag == "br":
            current.append(_BR)
        elif tag == "tr" and not _is_layout(element):
            flush()
            cells = [
                _SPACES.sub(" ", cell.text_content()).strip()
                for cell in element
                if isinstance(cell.tag, str) and cell.tag.lower() in _CELL_TAGS
            ]
            if any(cells):
                out.append("\t".join(cells))
        else:
            block = tag in _BLOCK_TAGS or tag in _CELL_TAGS  # a layout table's cells
            if block:
                flush()
            pre = preformatted or tag == "pre"
            if element.text:
                current.append(_pre(element.text) if pre else element.text)
            for child in element:
                if isinstance(child.tag, str):
                    walk(child, pre)
                if child.tail:
                    current.append(_pre(child.tail) if pre else child.tail)
            if block:
                flush()

    walk(article, False)
    flush()
    return out


def _is_layout(row: HtmlElement) -> bool:
    """Whether a table row lays out the page (its cells hold paragraphs) rather than data."""
    return any(isinstance(e.tag, str) and e.tag.lower() in _LAYOUT for e in row.iterdescendants())


def _pre(text: str) -> str:
    """Preformatted text: its line breaks are kept, as <br> would be."""
    return re.sub(r"\r\n?|\n", _BR, text)
