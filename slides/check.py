#!/usr/bin/python3
"""Check the built decks: slides/check.py slides/NN-name.md...

For each deck, looks at what `make check-slides` built in build/slides/:

  NN-name.001.png  the PDF's first page, rendered by pdftoppm 1280 pixels
                   wide: a real PNG of the slide size, and not blank (enough pixels differ from the
                   background colour, in more than one colour)
  NN-name.html     self-contained (nothing loaded over the network), one
                   slide per slide of the source, each in Tidepool's theme,
                   and it holds the deck's text: its title and every
                   source caption
  NN-name.pdf      a PDF with one page per slide

Pure standard library (zlib decodes the PNG and the PDF's streams), so it
runs with Debian's /usr/bin/python3 and nothing else.
"""

import html
import re
import struct
import sys
import zlib
from collections import Counter
from pathlib import Path

OUT = Path("build/slides")
SLIDE_SIZE = (1280, 720)        # Marp's 16:9 default, at --image-scale 1
MIN_INK = 0.005                 # at least 0.5 % of the pixels are not background
THEME = "tidepool"              # slides/tidepool.css


class CheckError(Exception):
    pass


# ---------------------------------------------------------------------------
# PNG


def read_png(path):
    """(width, height, rows) with rows a list of bytes, `channels` bytes per
    pixel; 8-bit greyscale, grey+alpha, RGB or RGBA, not interlaced."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise CheckError("%s is not a PNG file" % path)
    pos, idat, header = 8, [], None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if zlib.crc32(kind + chunk) != struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]:
            raise CheckError("%s: bad CRC in a %s chunk" % (path, kind.decode("latin-1")))
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None or not idat:
        raise CheckError("%s: no IHDR or no IDAT chunk" % path)
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise CheckError("%s: unsupported PNG (depth %d, colour type %d, interlace %d)"
                         % (path, depth, colour, interlace))
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    if len(raw) != height * (stride + 1):
        raise CheckError("%s: image data has %d bytes, expected %d"
                         % (path, len(raw), height * (stride + 1)))
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:       # Sub
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:     # Up
            for i in range(stride):
                line[i] = (line[i] + previous[i]) & 0xFF
        elif kind == 3:     # Average
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:     # Paeth
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        elif kind != 0:
            raise CheckError("%s: row %d has unknown filter %d" % (path, y, kind))
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def ink(path):
    """(fraction of pixels that differ from the most common colour, number
    of distinct colours, size)."""
    width, height, channels, rows = read_png(path)
    counts = Counter()
    for row in rows:
        counts.update(row[i:i + channels] for i in range(0, len(row), channels))
    background, n = counts.most_common(1)[0]
    return 1 - n / (width * height), len(counts), (width, height)


def check_png(path):
    if not path.is_file():
        raise CheckError("%s is missing" % path)
    fraction, colours, size = ink(path)
    if size != SLIDE_SIZE:
        raise CheckError("%s is %dx%d, expected a %dx%d slide" % ((path,) + size + SLIDE_SIZE))
    if fraction < MIN_INK or colours < 2:
        raise CheckError("%s looks blank: %.2f %% of its pixels differ from the background "
                         "(at least %.1f %% expected), %d colours"
                         % (path, 100 * fraction, 100 * MIN_INK, colours))
    return "first slide %.1f %% ink, %d colours" % (100 * fraction, colours)


# ---------------------------------------------------------------------------
# The deck's source


def slides_in(markdown):
    """The number of slides in a Marp deck: `---` rulers outside code
    fences, after the front matter, plus one."""
    lines = markdown.split("\n")
    if lines and lines[0].strip() == "---":
        end = lines.index("---", 1) if "---" in lines[1:] else 0
        lines = lines[end + 1:]
    count, fence = 1, None
    for line in lines:
        m = re.match(r"^\s*(`{3,}|~{3,})", line)
        if m:
            if fence is None:
                fence = m.group(1)
            elif m.group(1).startswith(fence):
                fence = None
        elif fence is None and line.strip() == "---":
            count += 1
    return count


def title_of(markdown):
    m = re.search(r"(?m)^# +(.+?)\s*$", markdown)
    if not m:
        raise CheckError("the deck has no `# ` title")
    return re.sub(r"[*_`]", "", m.group(1)).strip()


# ---------------------------------------------------------------------------
# HTML and PDF


REMOTE = re.compile(r"""(?:\b(?:src|href|poster|data)\s*=\s*["']?|url\(\s*["']?|@import\s+["'])"""
                    r"""\s*(?:https?:)?//""", re.IGNORECASE)


def text_of(page):
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"<[^>]+>", "", page)
    return re.sub(r"\s+", " ", html.unescape(page))


def check_html(path, expanded_md, slides):
    if not path.is_file():
        raise CheckError("%s is missing" % path)
    page = path.read_text(encoding="utf-8")
    remote = sorted(set(m.group(0) for m in REMOTE.finditer(page)))
    if remote:
        raise CheckError("%s is not self-contained: it loads %s" % (path, ", ".join(remote)))
    sections = len(re.findall(r"<svg\b[^>]*\bdata-marpit-svg", page))
    if sections != slides:
        raise CheckError("%s has %d slides, the deck has %d" % (path, sections, slides))
    themed = len(re.findall(r'<section\b[^>]*\bdata-theme="%s"' % THEME, page))
    if themed != slides:
        raise CheckError("%s: %d of its %d slides use the %s theme (is `theme: %s` in the "
                         "deck's front matter, and slides/%s.css found?)"
                         % (path, themed, slides, THEME, THEME, THEME))
    text = text_of(page)
    wanted = [title_of(expanded_md)]
    wanted += [html.unescape(c) for c in re.findall(r'<div class="src">(.*?)</div>', expanded_md)]
    for phrase in wanted:
        if re.sub(r"\s+", " ", phrase) not in text:
            raise CheckError("%s does not contain %r" % (path, phrase))
    return "%d slides, %d code blocks from the sources, self-contained" % (sections, len(wanted) - 1)


def pdf_pages(data):
    """Page objects in a PDF, looking into compressed object streams too."""
    chunks = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", m.end())
        if end < 0:
            continue
        try:
            chunks.append(zlib.decompressobj().decompress(data[m.end():end]))
        except zlib.error:
            pass
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", c)) for c in chunks)


def check_pdf(path, slides):
    if not path.is_file():
        raise CheckError("%s is missing" % path)
    data = path.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise CheckError("%s is not a PDF file" % path)
    pages = pdf_pages(data)
    if pages != slides:
        raise CheckError("%s has %d pages, the deck has %d slides" % (path, pages, slides))
    return "%d pages" % pages


def check_deck(deck, out=OUT):
    name = Path(deck).stem
    expanded = (out / (name + ".md")).read_text(encoding="utf-8")
    slides = slides_in(expanded)
    return [check_png(out / (name + ".001.png")),
            check_html(out / (name + ".html"), expanded, slides),
            check_pdf(out / (name + ".pdf"), slides)]


def main(argv):
    if not argv:
        print("usage: slides/check.py slides/NN-name.md...", file=sys.stderr)
        return 2
    failed = 0
    for deck in argv:
        try:
            print("check-slides: %s: ok: %s" % (Path(deck).stem, "; ".join(check_deck(deck))))
        except (CheckError, OSError) as e:
            print("check-slides: %s: FAILED: %s" % (Path(deck).stem, e))
            failed += 1
    print("%d passed, %d failed" % (len(argv) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
