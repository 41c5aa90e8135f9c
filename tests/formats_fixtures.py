"""Build HTML pages, .docx files and PDFs from the .txt samples in data/, at test time.

Each builder turns a sample's lines into the kind of file a government site
publishes: a web page with navigation, a sidebar and a footer around the text;
a Word document with heading styles (and, optionally, Word list numbering in
place of typed markers); a PDF with a running header and page numbers.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

from policydiff.patterns import DATE_LINE, heading_style

DATA = Path(__file__).resolve().parent.parent / "data"

HEADING_LEVELS = {"cn": 1, "paren_cn": 2, "arabic": 3, "paren_arabic": 4}


def sample_lines(name: str) -> list[str]:
    """The non-blank lines of a sample, stripped."""
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def title_index(lines: list[str]) -> int:
    """The document's title: the line just after the notice's date."""
    dates = [i for i, line in enumerate(lines) if DATE_LINE.match(line)]
    return dates[0] + 1 if dates else 0


def page_title_index(lines: list[str]) -> int:
    """The web page's title, the notice's: the samples open with a note on where they were
    copied from, down to a line 附錄 (appendix), and the notice follows."""
    marks = [i for i, line in enumerate(lines) if line in ("附錄", "附录")]
    return marks[0] + 1 if marks else 0


# ---------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{title}_市人民政府门户网站</title>
<link rel="stylesheet" type="text/css" href="/css/common.css" />
<style type="text/css">body {{ font-family: SimSun; }} .nav li {{ float: left; }}</style>
<script type="text/javascript">var _hmt = _hmt || []; document.write("<p>访问统计</p>");</script>
</head>
<body>
<div class="top">
  <div class="logo"><h1><a href="/">市人民政府门户网站</a></h1></div>
  <div class="search"><input type="text" value="请输入关键字" /><button>搜索</button></div>
</div>
<div class="nav"><ul>
  <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
  <li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li>
</ul></div>
<div class="main">
  <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政策文件</div>
  <div class="left-side">
    <h3>栏目导航</h3>
    <ul><li><a href="#">通知公告</a></li><li><a href="#">政策解读</a></li></ul>
    <p>热点专题：质量强市，品牌之都。</p>
    <div class="ewm"><img src="/qr.png" alt="二维码" />扫一扫在手机打开当前页</div>
  </div>
  <div class="article">
    <h1 class="title">{title}</h1>
    <div class="info">发布日期：2024-01-26　来源：本网　【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>
    <div class="article-content" id="zoom">
{body}
    </div>
    <div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
    <div class="article-tools"><a href="#">【打印本页】</a> <a href="#">【关闭窗口】</a></div>
  </div>
  <div class="box3"><p>网站地图 | 联系我们 | 使用帮助</p></div>
</div>
<div class="footer">
  <p>主办：市人民政府办公室　承办：市政务服务数据管理局</p>
  <p>网站标识码：0000000000　ICP备00000000号　公网安备 00000000000000号</p>
</div>
<script type="text/javascript">
  (function () {{ var s = document.createElement("script"); s.src = "/js/stat.js"; }})();
</script>
</body>
</html>
"""


# An older CMS page laid out with tables, declaring gb2312 (and holding GBK characters, as
# such pages do: browsers read gb2312 as GBK).
TABLE_PAGE = """<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{title}</title>
<script language="javascript">function openWin(u) {{ window.open(u); }}</script>
</head>
<body leftmargin="0" topmargin="0">
<table width="1000" border="0" align="center"><tr><td>
  <a href="/">首页</a> | <a href="/jggk/">机构概况</a> | <a href="/zwgk/">政务公开</a> | <a href="/bsfw/">办事服务</a>
</td></tr></table>
<table width="1000" border="0" align="center"><tr>
  <td width="200" valign="top">
    <table width="100%"><tr><td><a href="#">通知公告</a></td></tr><tr><td><a href="#">政策法规</a></td></tr>
    <tr><td>今天是：<script>document.write(new Date());</script></td></tr></table>
  </td>
  <td width="800" valign="top">
    <table width="100%">
      <tr><td class="bt" align="center">{title}</td></tr>
      <tr><td align="center">发布时间：2023-09-14　浏览次数：1234　<a href="javascript:window.print()">打印</a></td></tr>
      <tr><td class="nr">
{body}
      </td></tr>
    </table>
  </td>
</tr></table>
<table width="1000" align="center"><tr><td align="center">版权所有：市市场监督管理局　地址：市中心路1号　电话：0000-00000000<br>备案序号：ICP备00000000号</td></tr></table>
</body>
</html>
"""


def _wrapped(text: str, width: int = 38) -> str:
    """Source lines of a pretty-printed page: long text wrapped in the HTML itself, between
    two Chinese characters, where a browser joins the lines without a space."""
    out, run = [], 0
    for index, char in enumerate(text):
        if (
            run >= width
            and "\u4e00" <= char <= "\u9fff"
            and "\u4e00" <= text[index - 1] <= "\u9fff"
        ):
            out.append("\n        ")
            run = 0
        out.append(char)
        run += 1
    return "".join(out)


def html_page(name: str, *, charset: str = "utf-8", tables: bool = False) -> bytes:
    """A saved government web page holding the sample, encoded and declared as `charset`;
    with `tables`, an older page laid out with tables, declared gb2312 and encoded as GBK."""
    lines = sample_lines(name)
    title = lines.pop(page_title_index(lines))
    if tables:
        paragraphs = "\n".join(f"<p>　　{html.escape(line)}</p>" for line in lines)
        page = TABLE_PAGE.format(title=html.escape(title), body=paragraphs)
        return page.encode("gbk")
    body = []
    for line in lines:
        style = heading_style(line)
        escaped = _wrapped(html.escape(line))
        if style and style[0] == "cn":
            body.append(f"      <h2>{escaped}</h2>")
        elif style:
            body.append(f'      <p style="text-indent:2em"><strong>{escaped}</strong></p>')
        else:
            body.append(f"      <p>&nbsp;&nbsp;　　{escaped}</p>")
    page = PAGE.format(charset=charset, title=html.escape(title), body="\n".join(body))
    return page.encode(charset)


# ---------------------------------------------------------------- DOCX

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_LIST_FORMATS = {
    "cn": ("chineseCounting", "%1、"),
    "paren_cn": ("chineseCounting", "（%1）"),
    "arabic": ("decimal", "%1、"),
}


def _numbering(document: object, style: str, abstract_id: int) -> None:
    from docx.oxml import parse_xml

    fmt, text = _LIST_FORMATS[style]
    root = document.part.numbering_part.element  # type: ignore[attr-defined]
    abstract = parse_xml(
        f'<w:abstractNum xmlns:w="{_W_NS}" w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:suff w:val="nothing"/>'
        "</w:lvl></w:abstractNum>"
    )
    nums = root.findall(f"{{{_W_NS}}}num")
    if nums:
        nums[0].addprevious(abstract)
    else:
        root.append(abstract)


def _num(document: object, num_id: int, abstract_id: int, restart: bool) -> None:
    from docx.oxml import parse_xml

    override = (
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>' if restart else ""
    )
    document.part.numbering_part.element.append(  # type: ignore[attr-defined]
        parse_xml(
            f'<w:num xmlns:w="{_W_NS}" w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
        )
    )


def _number_paragraph(paragraph: object, num_id: int) -> None:
    from docx.oxml import parse_xml

    ppr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    ppr.append(
        parse_xml(
            f'<w:numPr xmlns:w="{_W_NS}"><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )


def _marker_number(line: str, style: str) -> int | None:
    """The number a typed marker shows, when Word's numbering formats can write it."""
    from policydiff.extract._docx import list_number

    marker_end = heading_style(line)
    if marker_end is None:
        return None
    marker = line[: marker_end[1]]
    fmt, text = _LIST_FORMATS[style]
    for value in range(1, 100):
        if text.replace("%1", list_number(value, fmt)) == marker:
            return value
    return None


def docx_file(name: str, *, numbering: bool = False, table: bool = False) -> bytes:
    """A Word document of the sample: title style, Heading 1-3 on the headings.

    With `numbering`, the 一、/（一）/1、 markers are not typed but come from
    Word's list numbering (restarting where the sample restarts). With `table`,
    a two-row table follows the title.
    """
    import docx

    lines = sample_lines(name)
    title = title_index(lines)
    document = docx.Document()
    counters: dict[str, int] = {}
    num_ids: dict[str, int] = {}
    next_id = 10
    if numbering:
        for index, style in enumerate(_LIST_FORMATS):
            _numbering(document, style, 100 + index)
    for index, line in enumerate(lines):
        style = heading_style(line) if index > title else None
        if index == title:
            document.add_paragraph(line, style="Title")
            if table:
                grid = document.add_table(rows=2, cols=3)
                rows = (("指标", "单位", "目标值"), ("示例指标", "%", "90"))
                for row, cells in zip(grid.rows, rows, strict=True):
                    for cell, text in zip(row.cells, cells, strict=True):
                        cell.text = text
            continue
        if style is None or style[0] not in HEADING_LEVELS:
            document.add_paragraph(line)
            continue
        level = HEADING_LEVELS[style[0]]
        value = _marker_number(line, style[0]) if numbering and style[0] in _LIST_FORMATS else None
        if value is None or value not in (counters.get(style[0], 0) + 1, 1):
            document.add_paragraph(line, style=f"Heading {level}")
            continue
        if style[0] not in num_ids or (value == 1 and counters.get(style[0], 0) > 0):
            next_id += 1
            abstract = 100 + list(_LIST_FORMATS).index(style[0])
            _num(document, next_id, abstract, restart=style[0] in num_ids)
            num_ids[style[0]] = next_id
        counters[style[0]] = value
        paragraph = document.add_paragraph(line[style[1] :], style=f"Heading {level}")
        _number_paragraph(paragraph, num_ids[style[0]])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- PDF

FONT = "STSong-Light"


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def pdf_file(
    name: str,
    *,
    header: str = "质量强市建设",
    page_numbers: str = "- {n} -",
    watermark: str = "",
) -> bytes:
    """An A4 PDF of the sample in STSong-Light: paragraphs indented two characters and
    wrapped at the right margin, the title centred, the signature right-aligned, a
    running header and a page number on every page, and optionally a watermark drawn
    across each page at 45°."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen import canvas

    _register_font()
    lines = sample_lines(name)
    title = title_index(lines)
    width, height = A4
    size, left, right, top, bottom = 12.0, 72.0, width - 72.0, height - 96.0, 84.0
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    page = 1
    y = top

    def furniture() -> None:
        if watermark:
            pdf.saveState()
            pdf.setFont(FONT, 48)
            pdf.setFillGray(0.85)
            pdf.translate(width / 2, height / 2)
            pdf.rotate(45)
            pdf.drawCentredString(0, 0, watermark)
            pdf.restoreState()
        pdf.setFont(FONT, 9)
        pdf.drawCentredString(width / 2, height - 50, header)
        pdf.line(left, height - 56, right, height - 56)
        pdf.drawCentredString(width / 2, 44, page_numbers.format(n=page))
        pdf.setFont(FONT, size)

    def advance() -> None:
        nonlocal y, page
        y -= size * 1.7
        if y < bottom:
            pdf.showPage()
            page += 1
            furniture()
            y = top

    furniture()
    for index, line in enumerate(lines):
        signature = DATE_LINE.match(line) or (
            index + 1 < len(lines) and DATE_LINE.match(lines[index + 1]) and len(line) < 20
        )
        fits = pdfmetrics.stringWidth(line, FONT, size) < right - left
        if index == title and fits:
            pdf.drawCentredString(width / 2, y, line)
            advance()
            continue
        if signature and fits:
            pdf.drawRightString(right - 2 * size, y, line)
            advance()
            continue
        x = left + 2 * size
        piece = ""
        for word in re.findall(r"[A-Za-z0-9.%]+|.", line):  # Latin words and numbers stay whole
            if pdfmetrics.stringWidth(piece + word, FONT, size) > right - x:
                pdf.drawString(x, y, piece)
                advance()
                x, piece = left, ""
            piece += word
        pdf.drawString(x, y, piece)
        advance()
    pdf.save()
    return buffer.getvalue()


def pdf_justified(name: str) -> bytes:
    """The sample typeset by reportlab's layout engine instead: justified lines (glyphs
    spaced out to the margin), a larger centred title, a header at the left and
    "第 N 页" at the foot of each page."""
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    _register_font()
    lines = sample_lines(name)
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=12, leading=20, firstLineIndent=24,
        alignment=TA_JUSTIFY, wordWrap="CJK",
    )  # fmt: skip
    heading = ParagraphStyle(
        "title", parent=body, alignment=TA_CENTER, firstLineIndent=0, fontSize=16, leading=26
    )
    title = title_index(lines)
    story = [
        Paragraph(html.escape(line), heading if i == title else body)
        for i, line in enumerate(lines)
    ]

    def furniture(canvas: object, document: object) -> None:
        canvas.setFont(FONT, 9)  # type: ignore[attr-defined]
        canvas.drawString(72, A4[1] - 40, "质量强市建设实施方案")  # type: ignore[attr-defined]
        canvas.drawCentredString(A4[0] / 2, 30, f"第 {document.page} 页")  # type: ignore[attr-defined]

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(
        story, onFirstPage=furniture, onLaterPages=furniture
    )
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A PDF of two pages that are only images, as a scanner makes them: no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for page in range(2):
        image = Image.new("L", (400, 560), 255)
        draw = ImageDraw.Draw(image)
        for row in range(20):  # lines of "text", as a scan shows them
            draw.rectangle((40, 40 + row * 24, 360 - (row * 7 + page * 13) % 90, 52 + row * 24), 0)
        pdf.drawImage(ImageReader(image), 50, 100, width=495, height=690)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def small_pdf(pages: list[list[str]], *, rotate: tuple[int, ...] = ()) -> bytes:
    """A short PDF of flush-left lines, one list of lines a page; the pages numbered
    in `rotate` are shown landscape (/Rotate 90), their content written upright."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number, lines in enumerate(pages, start=1):
        if number in rotate:
            pdf.setPageRotation(90)
        pdf.setFont(FONT, 12)
        for row, line in enumerate(lines):
            pdf.drawString(72, 760 - 20 * row, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
