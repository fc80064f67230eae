#!/usr/bin/env python3
"""Builds assets/fonts/TongbanSansSC-Regular.ttf, the kiosk's bundled CJK font.

The kiosk must render (and later print) residents' names, which may contain
rare characters, on machines with no CJK font installed. The result covers
ASCII/Latin, Greek, Cyrillic, CJK symbols and punctuation, kana, bopomofo,
fullwidth forms, all of GB2312, CJK Extension A and the whole CJK Unified
Ideographs block U+4E00-U+9FFF.

Sources (both SIL Open Font License 1.1; see OFL.txt beside the font):
  * Noto Sans CJK SC Regular (Debian package fonts-noto-cjk) for everything
    it covers;
  * GNU Unifont (Debian package fonts-unifont, dual OFL-1.1 / GPL-2+) for the
    sixteen ideographs U+9FF0-U+9FFF added in Unicode 14 that Noto Sans CJK
    2.004 lacks.

The CID-keyed CFF outlines are converted to TrueType outlines so the Unifont
glyphs can be merged into one font, renamed "Tongban Sans SC" as the OFL asks
of modified versions. Usage (needs fonttools):

    python3 assets/fonts/tools/build_font.py NotoSansCJK-Regular.ttc unifont.otf OUT.ttf
"""
import sys

from fontTools.ttLib import TTCollection, TTFont, newTable
from fontTools.ttLib.tables._g_l_y_f import Glyph
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.transformPen import TransformPen
from fontTools import subset

FAMILY = "Tongban Sans SC"


def wanted_codepoints():
    ranges = [
        (0x0020, 0x024F),  # Basic Latin .. Latin Extended-B
        (0x02B0, 0x02FF),  # spacing modifiers
        (0x0370, 0x03FF),  # Greek (GB2312 row 6)
        (0x0400, 0x04FF),  # Cyrillic (GB2312 row 7)
        (0x2000, 0x206F),  # general punctuation
        (0x2070, 0x209F),
        (0x20A0, 0x20CF),  # currency
        (0x2100, 0x214F),  # letterlike
        (0x2150, 0x218F),  # number forms
        (0x2190, 0x21FF),  # arrows
        (0x2200, 0x22FF),  # maths
        (0x2300, 0x23FF),
        (0x2460, 0x24FF),  # enclosed alphanumerics
        (0x2500, 0x257F),  # box drawing
        (0x2580, 0x259F),
        (0x25A0, 0x25FF),  # geometric shapes
        (0x2600, 0x26FF),
        (0x2700, 0x27BF),
        (0x2E80, 0x2EFF),  # CJK radicals supplement
        (0x2F00, 0x2FDF),  # Kangxi radicals
        (0x3000, 0x303F),  # CJK symbols and punctuation
        (0x3040, 0x30FF),  # kana (GB2312 rows 4-5)
        (0x3100, 0x312F),  # bopomofo
        (0x31A0, 0x31BF),
        (0x31C0, 0x31EF),  # CJK strokes
        (0x3200, 0x32FF),  # enclosed CJK
        (0x3300, 0x33FF),
        (0x3400, 0x4DBF),  # CJK Extension A
        (0x4E00, 0x9FFF),  # CJK Unified Ideographs
        (0xF900, 0xFAFF),  # compatibility ideographs
        (0xFE10, 0xFE1F),
        (0xFE30, 0xFE4F),
        (0xFF00, 0xFFEF),  # half- and fullwidth forms
        (0xFFFD, 0xFFFD),
    ]
    cps = set()
    for lo, hi in ranges:
        cps.update(range(lo, hi + 1))
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                cps.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return cps


def cff_to_glyf(font):
    order = font.getGlyphOrder()
    gs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        gs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                 "maxComponentElements", "maxPoints", "maxContours",
                 "maxCompositePoints", "maxCompositeContours", "maxComponentDepth"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"


def merge_unifont(font, unifont_path, cps):
    uni = TTFont(unifont_path)
    ucmap = uni.getBestCmap()
    ugs = uni.getGlyphSet()
    scale = font["head"].unitsPerEm / uni["head"].unitsPerEm
    cmap_tables = [t for t in font["cmap"].tables if t.isUnicode()]
    have = font.getBestCmap()
    order = list(font.getGlyphOrder())
    added = []
    for cp in sorted(cps):
        # Only ideographs come from Unifont: its pixel outlines would look out
        # of place for symbols, which are left to Noto alone.
        if not (0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF):
            continue
        if cp in have or cp not in ucmap:
            continue
        name = "uni%04X" % cp if cp <= 0xFFFF else "u%05X" % cp
        pen = TTGlyphPen(None)
        ugs[ucmap[cp]].draw(TransformPen(Cu2QuPen(pen, max_err=1.0), (scale, 0, 0, scale, 0, 0)))
        font["glyf"].glyphs[name] = pen.glyph()
        adv, _ = uni["hmtx"][ucmap[cp]]
        font["hmtx"].metrics[name] = (round(adv * scale), 0)
        if "vmtx" in font:
            font["vmtx"].metrics[name] = (font["head"].unitsPerEm, 0)
        order.append(name)
        for t in cmap_tables:
            if t.format == 4 and cp > 0xFFFF:
                continue
            t.cmap[cp] = name
        added.append(cp)
    font.setGlyphOrder(order)
    font["glyf"].glyphOrder = order
    font["maxp"].numGlyphs = len(order)
    return added


def full_unicode_cmap(font):
    """Keeps the character map in format 12 subtables only.

    A format 4 subtable cannot hold this many segments within its 16-bit
    length, and readers that trust it lose thousands of characters.
    """
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    mapping = dict(font.getBestCmap())
    tables = []
    for pid, eid in ((0, 4), (3, 10)):
        sub = CmapSubtable.newSubtable(12)
        sub.platformID, sub.platEncID, sub.language = pid, eid, 0
        sub.cmap = dict(mapping)
        tables.append(sub)
    font["cmap"].tables = tables


def rename(font):
    name = font["name"]
    for rec in list(name.names):
        if rec.nameID in (1, 3, 4, 6, 16, 17):
            name.removeNames(nameID=rec.nameID)
    for pid, eid, lid in ((3, 1, 0x409), (1, 0, 0)):
        name.setName(FAMILY, 1, pid, eid, lid)
        name.setName("Regular", 2, pid, eid, lid)
        name.setName(FAMILY + " Regular; built from Noto Sans CJK SC 2.004 and GNU Unifont 15", 3, pid, eid, lid)
        name.setName(FAMILY, 4, pid, eid, lid)
        name.setName("TongbanSansSC-Regular", 6, pid, eid, lid)


def main():
    ttc, unifont, out = sys.argv[1:4]
    coll = TTCollection(ttc)
    font = next(f for f in coll.fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    cps = wanted_codepoints()
    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.hinting = False
    opts.desubroutinize = True
    opts.notdef_outline = True
    opts.glyph_names = False
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=cps)
    sub.subset(font)
    cff_to_glyf(font)
    added = merge_unifont(font, unifont, cps)
    full_unicode_cmap(font)
    rename(font)
    font.save(out)
    check = TTFont(out).getBestCmap()
    missing = [cp for cp in range(0x4E00, 0xA000) if cp not in check]
    print(f"wrote {out}: {len(check)} code points, {len(added)} from Unifont, URO missing {len(missing)}")
    if missing:
        sys.exit(1)


if __name__ == "__main__":
    main()
