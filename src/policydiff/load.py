"""Path or bytes -> Document: the only file I/O in the library (see docs/input.md)."""

from __future__ import annotations

import codecs
import math
import os
import re
import sys
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import BinaryIO

from . import extract
from .errors import InputError, LimitError, UsageError, quote_name
from .model import Document

DEFAULT_MAX_BYTES = 20_000_000
"""Files over this size (20 MB) are refused unless the caller raises `max_bytes`."""

STDIN = "-"
STDIN_LABEL = "<stdin>"

# A guess must not have more than this share of its non-ASCII characters "odd"
# (rare or foreign characters, private-use code points): mojibake scores 0.4-0.7.
MAX_ODD_SHARE = 0.25
# Nor may it cost more than this per non-ASCII character once there are enough of
# them to judge: Chinese text averages about 5, Korean read as GB18030 about 7.6.
MAX_MEAN_COST = 7.0
MIN_CHARS_FOR_MEAN = 20
# How much of a text is scored (characters, or bytes before decoding): mojibake shows
# within a few hundred characters.
SAMPLE_CHARS = 100_000
# Prices in _cost(), in units of -ln(probability).
_PUNCTUATION_COST = 2.0
_COMMON_COST = math.log(1000) + 1
_ODD_COST = math.log(1000) + 5
_PUNCTUATION = frozenset("\u3000，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』—…·％")

# Byte-order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),  # reported as utf-8-sig, the name Python gives it
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)

# Formats users point the tool at by mistake, by their first bytes. The documents
# among them get a hint: save as plain text.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office .doc/.xls document"),
    (b"{\\rtf", "RTF document"),
    (b"From: <Saved by ", "MHTML web archive"),
    (b"MIME-Version:", "MHTML web archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "Mach-O executable or Java class"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"SQLite format 3\x00", "SQLite database"),
)

# The legacy Chinese encodings tried when a file is not UTF-8, in order of preference.
# GB18030 is a superset of GBK and GB2312; cp950 and big5hkscs extend Big5.
_GB_FAMILY = ("gb18030",)
_BIG5_FAMILY = ("big5", "cp950", "big5hkscs")
# A forced GBK or GB2312 decodes as GB18030: same bytes, same characters, more of them.
_GB_ALIASES = {"gbk", "gb2312", "cp936", "euc_cn", "euc-cn"}

# The 1,000 most frequent characters of jieba's dictionary, most frequent first (counted
# over its words, weighted by word frequency): what tells 坚持 (GB18030 read right) from
# 澄厥 (the same bytes read as Big5). They cover about 93% of the characters in data/.
_FREQUENT_SIMPLIFIED = (
    "一是人了不在有大中国和为这上他个地年来我会以到时要出的生学说道民家子也成行下们于后就发自之对得主长可"
    "过天作分方用多你着部能市等业全里工公经本都而高政法面门动日进区事代那去心小同北定开产前其军还然起种所"
    "如现理机体表力好外与文当两实重新三么只山水关明从化平建又制南内西没此将员名手最东头者月间无安看见各城"
    "十相但已些正口通想度加第她合院物性战由位常点海意场武使次二向治因立数样身情入原问把路被并利石老教万知"
    "级量任江及应省资委务元美特期世湖回系比气汉总展电科金先声提品设或义王社很统处四首共马形己儿司太目基领"
    "队直计别女权话少流命至报米给打变果书清活几州华解议更称程今决张导术府才保交放管结师便走达族反再题色五"
    "京河接条规式县白它改风光运信受什组听布百济党指论强做取技黄神选记斯真却职号界件花类何眼兵传带空干农边"
    "据集联古广完质阳难增历史专官每住商即步认车台林必死游举线言皇土团收考求德叫近备研争非具李众连调感转笑"
    "革该持始英克士尔让拉思根格造较际亲单朝红型价校约器字段周亚深候则功属积快图火千准究往极育装许参半令吃"
    "观鱼精办像帝八复影告远群包整构料随划算象容示投势热值夫网望源息语股铁断派速怎需片爱律纪支早况病境证编"
    "越局推满且列觉服双未居除乐企引标确织初青志率项飞球节察龙响药站施均消客失轻存低甚般击曾防请离落显罗营"
    "足素视护副食创余照兴占巴虽洲村费易试星木黑左宝置跟央识维采六底宫房音环案批切斗富乡另倒若按查故突责严"
    "桥模仅胜杀围席态破承招杨负层须父供续状域似依银范修找九致密终血旅钱赛独细效玉冲获习医演毛尽脸弹楼艺航"
    "陆右协七攻镇检写苏宗章注阿抗弟坐验封紧劳户优财养适陈喜卫排射哥油刻留急降念云微伤例景拿绝阶座刘刚害印"
    "亿沙母酒助闻超审待压升送监策略限竟香配藏敌呢差仍兰温园树征善波哪词岛止预怕继皮执味份角草男普答益谁船"
    "惊核街夏宣掌田久著画辑奇尼剑吧谈背免孩礼材愿洋春架筑括晚乱乎讲尚良友临激刀夜室既敢邦挥昌板胡欧福港叶"
    "简苦担句岁荆贵娘守辖威宜衣帮块堂额错剧充欢够孙班呼阵销坚练脚退读测吴希宁换版异某顾曲楚典朱毒菜判救宋"
    "茶洪含顺啊鲜败货矿端兄归冷忙买险康评肉吗厂永哈沉散遗停笔假输牛洞松渐顶训录否述毕督控丰献姑忽爷互亮纳"
    "襄登咱钟伯臣雄季脑介鄂召饭暗扩祖齐短烈赶牌恩诉移诗础露届蒙静喝盘卖植授伊湾博痛减穿逐秘庭陵固禁票灵杂"
    "姓泽吸侧庆妈遇追甲馆补唐炮沿殿刺怪彩俄旧警索岸轮妇载靠附毫怀软骨探雷旁罪枪牙迎序慢盛雨墙恶谷顿危稳熟"
)

# Control characters other than \t, \n and \r (handled with the line endings), and the
# byte-order mark, which is invisible and only ever an artefact of joined files.
_STRAY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]+")
# Line breaks: CRLF, CR and the Unicode separators (which str.splitlines honours too).
_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BYTE_BREAKS = re.compile(rb"\r\n?|\n")


# ---------------------------------------------------------------- public


def load(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    input_format: str = "auto",
) -> Document:
    """Read a document from disk, or from standard input when `path` is "-".

    `encoding` forces one (an unknown name raises UsageError); files over
    `max_bytes` are refused. `input_format` is "auto" (recognise the format by
    content, then by name) or one of "txt", "html", "docx", "pdf". Every problem
    with the file raises InputError.
    """
    codec = _codec(encoding)  # a bad option is reported before any file problem
    chosen = _input_format(input_format)
    if max_bytes < 0:
        raise UsageError("--max-size must not be negative")
    name = os.fspath(path)
    if name == STDIN:
        data = _read_stdin(max_bytes)
        return decode(
            data, path=STDIN_LABEL, encoding=codec, input_format=chosen, max_bytes=max_bytes
        )
    # The name as it is shown from here on: quoted as git quotes it when it holds control
    # characters or bytes that are not UTF-8, so that it is safe on a terminal and in JSON.
    return decode(
        _read_file(name, max_bytes),
        path=quote_name(name),
        encoding=codec,
        input_format=chosen,
        max_bytes=max_bytes,
    )


def decode(
    data: bytes,
    *,
    path: str,
    encoding: str | None = None,
    input_format: str = "auto",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """Decode the bytes of a document: plain text, an HTML page, a .docx or a PDF.

    Text is decoded with the forced `encoding`, else by its BOM, as UTF-8, GB18030
    or Big5; an HTML page by its declared charset first. The text has LF line
    endings and no control characters other than \\n and \\t; `Document.encoding`
    names the encoding used and `Document.format` the format read.

    >>> decode("总则\\r\\n".encode("gb18030"), path="a.txt")
    Document(path='a.txt', text='总则\\n', encoding='gb18030', format='txt', locations=())
    >>> page = decode("<h1>总则</h1><p>第一条</p>".encode(), path="a.html")
    >>> page.text, page.locations
    ('总则\\n\\n第一条\\n', ('paragraph 1', 'paragraph 1', 'paragraph 2'))
    """
    codec = _codec(encoding)
    chosen = _input_format(input_format)
    if chosen == "auto":
        chosen = extract.sniff(data, path)
    # A PDF or a .docx says how its text is encoded; --encoding is for text and HTML.
    if chosen == "pdf":
        blocks = extract.pdf_blocks(data, path=path, max_bytes=max_bytes)
        return _assemble(blocks, path, "unicode", "pdf")
    if chosen == "docx":
        blocks = extract.docx_blocks(data, path=path, max_bytes=max_bytes)
        return _assemble(blocks, path, "utf-8", "docx")
    if chosen == "html":
        page = _decode_page(data, path, codec)
        return replace(
            _assemble(extract.html_blocks(page.text, path=path), path, page.encoding, "html"),
            notes=page.notes,
        )
    return _decode_text(data, path, codec)


def _input_format(name: str) -> str:
    if name == "auto" or name in extract.FORMATS:
        return name
    choices = ", ".join(("auto", *extract.FORMATS))
    raise UsageError(f"--input-format: unknown format {name!r} (choose from {choices})")


def _assemble(blocks: tuple[extract.Block, ...], path: str, encoding: str, kind: str) -> Document:
    """Paragraphs -> text with one paragraph a line, blank lines between, and a location a line."""
    lines: list[str] = []
    locations: list[str] = []
    for block in blocks:
        parts = [part.strip() for part in clean(block.text).split("\n")]
        parts = [part for part in parts if part]
        if not parts:
            continue
        if lines:  # the blank line between paragraphs is placed with the one before
            lines.append("")
            locations.append(locations[-1])
        lines.extend(parts)
        locations.extend([block.location] * len(parts))
    text = "\n".join(lines) + "\n" if lines else ""
    notes = tuple(note for block in blocks for note in block.notes)
    return Document(path, text, encoding, kind, tuple(locations), notes)


# Charsets pages declare that a Chinese page cannot be in; when one is declared, detection
# is asked first (a Chinese page labelled iso-8859-1 is a common server default).
_WESTERN = re.compile(r"^(?:ascii|iso8859-\d+|cp125\d|mac-\w+)$")


def _decode_page(data: bytes, path: str, codec: str | None) -> Document:
    """An HTML page: a forced encoding or BOM, else UTF-8, its declared charset, detection.

    Valid UTF-8 wins over a declaration: a page saved again keeps a stale one, and text
    in GB18030 or Big5 is practically never valid UTF-8.
    """
    if codec is not None or any(data.startswith(bom) for bom, _, _ in _BOMS):
        return _decode_text(data, path, codec)
    try:
        return Document(path=path, text=clean(data.decode("utf-8")), encoding="utf-8")
    except UnicodeDecodeError:
        pass
    label = extract.declared_charset(data)
    declared = _known_codec(label)
    if declared is not None and not _WESTERN.match(declared):
        try:
            return Document(path=path, text=clean(data.decode(declared)), encoding=declared)
        except UnicodeDecodeError:
            pass  # a page that misstates its charset: detection decides
    try:
        detected = _decode_text(data, path, None)
    except InputError:
        if declared is None:
            raise
        return Document(path=path, text=clean(_strict(data, declared, path)), encoding=declared)
    if label is not None and declared is None:
        note = (
            f"the page declares charset {label!r}, which is not a text encoding policydiff "
            f"knows; it was read as {detected.encoding}, detected from its bytes"
        )
        return replace(detected, notes=(note,))
    return detected


def _known_codec(name: str | None) -> str | None:
    """Python's name for a declared charset, or None when Python has no such text codec."""
    if name is None:
        return None
    try:
        return _codec(name)
    except UsageError:
        return None


def _decode_text(data: bytes, path: str, codec: str | None) -> Document:
    """Plain text: a forced codec, else a byte-order mark, UTF-8, GB18030 or Big5."""
    _refuse_known_formats(data, path)
    if codec is not None:
        if b"\x00" in data and not _is_wide(codec):
            raise InputError(_nul_message(data), path=path)
        text = _strict(data, codec, path, forced=True)
        return Document(path=path, text=clean(text), encoding=codec)
    for bom, name, bom_codec in _BOMS:
        if data.startswith(bom):
            if name == "utf-32-le" and len(data) % 4:
                continue  # FF FE 00 00 opening UTF-16 LE text with a NUL character
            text = _strict(data[len(bom) :], bom_codec, path, bom=True)
            return Document(path=path, text=clean(text), encoding=name)
    if b"\x00" in data:
        raise InputError(_nul_message(data), path=path)
    try:
        return Document(path=path, text=clean(data.decode("utf-8")), encoding="utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    name, text = _guess_chinese(data, path, utf8_error)
    return Document(path=path, text=clean(text), encoding=name)


def clean(text: str) -> str:
    """LF line endings, and no control characters other than \\n and \\t.

    >>> clean("甲\\r\\n乙\\r丙\\x0c\\x1b[0m")
    '甲\\n乙\\n丙[0m'
    """
    text = _STRAY.sub("", _BREAKS.sub("\n", text))
    # A lone surrogate is no character (only a codec's escape can make one); it would make
    # the output unwritable as UTF-8.
    return _SURROGATE.sub("\ufffd", text)


# ---------------------------------------------------------------- reading


_size = extract.size_text
# Reading stops one chunk past the limit: a limit of 100 GB allocates nothing up front.
_CHUNK = 1 << 20


def _too_large(path: str, max_bytes: int, size: int | None) -> InputError:
    actual = ""
    if size is not None:  # in bytes when rounding would make it look within the limit
        shown = _size(size) if _size(size) != _size(max_bytes) else f"{size:,} bytes"
        actual = f" (it is {shown})"
    return LimitError(
        f"file is over the size limit of {_size(max_bytes)}{actual}; raise it with --max-size",
        path=path,
    )


def _read_file(name: str, max_bytes: int) -> bytes:
    file = Path(name)
    try:
        if file.is_dir():
            raise InputError("is a directory, not a file", path=name)
        regular = file.is_file()
        size = file.stat().st_size
        # Refuse before reading; the bounded read below catches pipes and growing files.
        if regular and size > max_bytes:
            raise _too_large(name, max_bytes, size)
        with file.open("rb") as stream:
            data = _read_bounded(stream, max_bytes)
    except FileNotFoundError:
        broken = " (a broken symbolic link)" if file.is_symlink() else ""
        raise InputError(f"no such file{broken}", path=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", path=name) from None
    except PermissionError:
        raise InputError("permission denied: cannot read the file", path=name) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path=name) from None
    except ValueError:  # a NUL character in the name
        raise InputError("not a valid file name", path=name) from None
    if len(data) > max_bytes:
        raise _too_large(name, max_bytes, None)
    return data


def _read_stdin(max_bytes: int) -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError("no standard input to read", path=STDIN_LABEL)
    try:
        data = _read_bounded(stream, max_bytes)
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path=STDIN_LABEL) from None
    if len(data) > max_bytes:
        raise _too_large(STDIN_LABEL, max_bytes, None)
    return data


def _read_bounded(stream: BinaryIO, max_bytes: int) -> bytes:
    """At most `max_bytes + 1` bytes of a stream, read a chunk at a time: asking for
    `max_bytes + 1` at once would allocate that much, whatever the file holds."""
    chunks: list[bytes] = []
    total = 0
    while total <= max_bytes:
        chunk = stream.read(min(_CHUNK, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


# ---------------------------------------------------------------- decoding

# Python codecs that are not the encoding of any text file: they turn escapes such as
# \u4e00 or punycode into characters, or decode nothing. A page declaring one, or
# --encoding naming one, would be read as something it is not.
_NOT_FILE_ENCODINGS = frozenset(
    {"unicode_escape", "raw_unicode_escape", "punycode", "idna", "undefined", "mbcs", "oem"}
)


def _codec(encoding: str | None) -> str | None:
    """The normalised name of a forced encoding, or UsageError if Python has no such text codec."""
    if encoding is None:
        return None
    try:
        name = codecs.lookup(encoding).name
        b"a".decode(name, "ignore")  # refuses codecs that are not text encodings (base64...)
        if name.replace("-", "_") in _NOT_FILE_ENCODINGS:
            raise LookupError(name)
    except (LookupError, UnicodeError):
        raise UsageError(
            f"--encoding: unknown encoding {encoding!r} (e.g. utf-8, gb18030, big5, utf-16)"
        ) from None
    if name in _GB_ALIASES:
        return "gb18030"
    return name


def _is_wide(codec: str) -> bool:
    """Whether NUL bytes are normal in the encoding's text (UTF-16 and UTF-32)."""
    return codec.startswith(("utf-16", "utf-32"))


def _line_of(data: bytes, offset: int, codec: str) -> int | None:
    """The 1-based line of a byte offset, in encodings where a newline is one byte 0x0A."""
    if _is_wide(codec):
        return None
    return len(_BYTE_BREAKS.findall(data, 0, offset)) + 1


def _strict(data: bytes, codec: str, path: str, *, forced: bool = False, bom: bool = False) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        if error.end >= len(data) and error.reason.startswith(
            ("unexpected end", "truncated", "incomplete")
        ):
            where = "truncated character at the end"
        else:
            where = f"invalid byte 0x{data[error.start]:02X}"
        context = (
            " (forced by --encoding)" if forced else " despite its byte-order mark" if bom else ""
        )
        raise InputError(
            f"not valid {codec}{context}: {where}",
            path=path,
            line=_line_of(data, error.start, codec),
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def _refuse_known_formats(data: bytes, path: str) -> None:
    for magic, kind in _MAGIC:
        if not data.startswith(magic):
            continue
        if kind == "RTF document":  # text, but markup: clauses would be full of \\par
            raise InputError(
                "RTF document, not plain text; save it as .docx or plain text", path=path
            )
        if kind == "MHTML web archive":  # text, but MIME parts in quoted-printable
            raise InputError(
                "MHTML web archive (.mht), not plain text; save the page as "
                '"Webpage, HTML only" (.html)',
                path=path,
            )
        if kind == "ZIP archive":
            kind = extract.zip_kind(data)
        hints = {
            "PDF document": "; pass --input-format pdf (or auto) to read it as a PDF",
            "Microsoft Office .doc/.xls document": "; save it as .docx, PDF or plain text",
            "OFD document": "; export it as PDF",
            "OpenDocument file": "; save it as .docx",
        }
        raise InputError(f"binary file ({kind}), not text{hints.get(kind, '')}", path=path)


def _nul_message(data: bytes) -> str:
    """Why bytes with NULs in them are refused, with a hint when they read as UTF-16."""
    if data.startswith(b"MZ"):
        return "binary file (Windows executable), not text"
    for codec in ("utf-16-le", "utf-16-be"):
        if _reads_as_text(data[:SAMPLE_CHARS], codec):
            return (
                "binary file (NUL bytes), or UTF-16 text without a byte-order mark: "
                f"if it is text, pass --encoding {codec}"
            )
    return "binary file (NUL bytes), not text"


def _reads_as_text(data: bytes, codec: str) -> bool:
    """Whether `data` decodes to plausible text: no stray control characters, few odd ones."""
    try:
        text = data[: len(data) // 2 * 2].decode(codec)
    except UnicodeDecodeError:
        return False
    if _STRAY.search(text.replace("\r", "")):
        return False
    _, odd, total = _cost(text)
    return odd <= MAX_ODD_SHARE * total  # no slack: a hint must not dress binary up as text


@cache
def _common_hanzi() -> frozenset[str]:
    """The level-1 characters of GB2312 (3,755) and Big5 (5,401): everyday text is >99% these."""
    chars: set[str] = set()
    rows = (
        ("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)),
        ("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)]),
    )
    for codec, leads, trails in rows:
        for lead in leads:
            for trail in trails:
                try:
                    char = bytes((lead, trail)).decode(codec)
                except UnicodeDecodeError:
                    continue
                if _is_hanzi(char):
                    chars.add(char)
    return frozenset(chars)


@cache
def _ranks() -> dict[str, int]:
    """Frequency rank of each frequent character, in simplified and traditional script."""
    from .normalise import to_traditional  # deferred: only legacy encodings need OpenCC

    ranks: dict[str, int] = {}
    for rank, char in enumerate(_FREQUENT_SIMPLIFIED):
        ranks.setdefault(char, rank)
        ranks.setdefault(to_traditional(char), rank)
    return ranks


def _is_hanzi(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3134F


def _is_punctuation(char: str) -> bool:
    """Everyday Chinese punctuation and full-width letters and digits."""
    return char in _PUNCTUATION or "０" <= char <= "９" or "Ａ" <= char <= "ｚ"


def _is_symbol(code: int) -> bool:
    """Other CJK and full-width marks, and symbols policy texts use: ‰ ℃ № Ⅳ ≥ ① ■ ★ § °."""
    return (
        0x3000 <= code <= 0x303F
        or 0xFF01 <= code <= 0xFF65
        or 0x2010 <= code <= 0x205E
        or 0x2100 <= code <= 0x22FF
        or 0x2460 <= code <= 0x26FF
        or code in (0xA7, 0xB0, 0xB1, 0xB7, 0xD7, 0xF7)
    )


def _cost(text: str) -> tuple[float, int, int]:
    """How unlike Chinese `text` reads: (cost, odd characters, non-ASCII characters).

    The cost sums a rough -log(probability) per character: by Zipf's law, ln(rank)
    for the frequent characters; a flat price for other common characters, symbols
    and punctuation; a high one for anything else (rare characters, kana, private
    use...), which is what reading bytes in the wrong encoding produces.
    """
    common = _common_hanzi()
    ranks = _ranks()
    cost = 0.0
    odd = total = 0
    for char in text:
        code = ord(char)
        if code < 0x80:
            continue
        total += 1
        rank = ranks.get(char)
        if rank is not None:
            cost += math.log(rank + 2)
        elif _is_punctuation(char):
            cost += _PUNCTUATION_COST
        elif char in common or _is_symbol(code):
            cost += _COMMON_COST
        else:
            cost += _ODD_COST
            odd += 1
    return round(cost, 6), odd, total


def _decodings(data: bytes) -> list[tuple[str, str]]:
    """Each legacy Chinese family's strict decoding of `data` (the first member that fits)."""
    found: list[tuple[str, str]] = []
    for family in (_GB_FAMILY, _BIG5_FAMILY):
        for codec in family:
            try:
                found.append((codec, data.decode(codec)))
                break
            except UnicodeDecodeError:
                continue
    return found


def _charset_normalizer_guess(data: bytes, among: list[str] | None = None) -> str | None:
    from charset_normalizer import from_bytes  # deferred: only legacy encodings need it

    try:
        best = from_bytes(data, cp_isolation=among).best()
    except Exception:  # an opinion is not worth a traceback
        return None
    return None if best is None else str(best.encoding)


def _guess_chinese(data: bytes, path: str, utf8_error: UnicodeDecodeError) -> tuple[str, str]:
    """GB18030 or Big5: whichever decodes strictly and reads most like Chinese, or InputError."""
    plausible: list[tuple[float, str, str]] = []
    for codec, text in _decodings(data):
        cost, odd, total = _cost(text[:SAMPLE_CHARS])
        if odd > MAX_ODD_SHARE * total + 1:  # + 1: one rare character in a short text
            continue
        if total >= MIN_CHARS_FOR_MEAN and cost > MAX_MEAN_COST * total:
            continue
        plausible.append((cost, codec, text))
    if plausible:
        least = min(cost for cost, _, _ in plausible)
        tied = [(codec, text) for cost, codec, text in plausible if cost == least]
        if len(tied) > 1:
            # Equal scores happen only for a few characters; charset-normalizer breaks
            # the tie, and GB18030 (listed first) wins when it has no opinion.
            guess = _charset_normalizer_guess(data, [codec for codec, _ in tied])
            tied.sort(key=lambda pair: pair[0] != guess)
        return tied[0]
    byte = data[utf8_error.start : utf8_error.start + 1].hex().upper()
    line = _line_of(data, utf8_error.start, "utf-8")
    guess = _charset_normalizer_guess(data)
    ours = ("utf", "ascii", "gb", "big5", "cp950")  # the ones just ruled out
    maybe = f" (it may be {guess})" if guess and not guess.startswith(ours) else ""
    raise InputError(
        f"cannot tell the encoding{maybe}: not UTF-8 (invalid byte 0x{byte} on line {line}), "
        "GB18030 or Big5; pass --encoding if you know it",
        path=path,
    )
