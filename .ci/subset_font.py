"""Cut the Simplified Chinese face of the system's Noto Sans CJK down to what the kiosk shows.

The packaged app must render Chinese on machines without fonts-noto-cjk, but the full
collection is ~20 MB per weight. The subset keeps: ASCII and Latin-1, common punctuation,
every character of the app's sources, translations and demo data, and the 6763 hanzi of
GB2312 (level 1 = the 3755 most common, level 2 = 3008 more, which covers most names).
Its family is renamed "Noto Sans SC", so a machine that has the full "Noto Sans CJK SC"
still uses the full face first (ui/theme.py FAMILIES order) and Qt falls back per glyph.

    python .ci/subset_font.py [--out assets/fonts] [--level1-only]

Needs fontTools (a build-time tool, not a runtime dependency).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "assets", ROOT / "kiosk", ROOT / "ui", ROOT / "sync"]
TEXT_SUFFIXES = {".ts", ".json", ".py", ".qml", ".txt", ".csv"}
SYSTEM = Path("/usr/share/fonts/opentype/noto")
SC_INDEX = 2  # the SC face inside NotoSansCJK-*.ttc
WEIGHTS = {"Regular": "NotoSansSC-Subset.otf", "Bold": "NotoSansSC-Subset-Bold.otf"}


def gb2312(levels: tuple[int, ...] = (1, 2)) -> set[str]:
    """The hanzi of GB2312: level 1 is rows 16-55, level 2 rows 56-87."""
    rows = []
    if 1 in levels:
        rows += range(0xB0, 0xD8)
    if 2 in levels:
        rows += range(0xD8, 0xF8)
    chars: set[str] = set()
    for hi in rows:
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def app_text() -> set[str]:
    """Every non-ASCII character in the app's own text files."""
    chars: set[str] = set()
    for folder in SOURCES:
        for path in folder.rglob("*"):
            if path.suffix in TEXT_SUFFIXES and path.is_file():
                chars |= set(path.read_text(encoding="utf-8", errors="ignore"))
    return {c for c in chars if ord(c) > 0x7E}


def basics() -> set[str]:
    ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2190, 0x21FF), (0x3000, 0x303F),
              (0xFF00, 0xFFEF), (0x2460, 0x24FF), (0x25A0, 0x25FF)]
    return {chr(c) for lo, hi in ranges for c in range(lo, hi + 1)}


def subset(source: Path, out: Path, chars: set[str]) -> int:
    from fontTools import subset as ftsubset
    from fontTools.ttLib import TTCollection

    font = TTCollection(str(source)).fonts[SC_INDEX]
    options = ftsubset.Options()
    options.layout_features = ["*"]  # keep vertical forms, locl etc.; small next to the glyphs
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # CFF hints cost space; rendering at kiosk sizes does not need them
    options.desubroutinize = False
    sub = ftsubset.Subsetter(options)
    sub.populate(unicodes=[ord(c) for c in chars])
    sub.subset(font)
    _rename(font, source.stem.split("-")[-1])
    font.save(str(out))
    return out.stat().st_size


def _rename(font, weight: str) -> None:
    """Call it Noto Sans SC (the name of Adobe/Google's SC-only release) so it never shadows
    the full system collection's family."""
    name = font["name"]
    for rec in list(name.names):
        text = rec.toUnicode()
        if "Noto Sans CJK SC" in text:
            name.setName(text.replace("Noto Sans CJK SC", "Noto Sans SC"), rec.nameID, rec.platformID,
                         rec.platEncID, rec.langID)
        elif "NotoSansCJKsc" in text:
            name.setName(text.replace("NotoSansCJKsc", "NotoSansSC"), rec.nameID, rec.platformID,
                         rec.platEncID, rec.langID)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [n.replace("NotoSansCJKsc", "NotoSansSC") for n in cff.fontNames]
        top = cff.topDictIndex[0]
        for attr in ("FullName", "FamilyName"):
            value = getattr(top, attr, None)
            if value:
                setattr(top, attr, value.replace("Noto Sans CJK SC", "Noto Sans SC"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=str(ROOT / "assets" / "fonts"))
    p.add_argument("--source-dir", default=str(SYSTEM))
    p.add_argument("--level1-only", action="store_true", help="GB2312 level 1 only (smaller)")
    p.add_argument("--regular-only", action="store_true", help="skip the bold weight")
    args = p.parse_args(argv)
    chars = basics() | app_text() | gb2312((1,) if args.level1_only else (1, 2))
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    for weight, name in WEIGHTS.items():
        if weight == "Bold" and args.regular_only:
            continue
        source = Path(args.source_dir) / f"NotoSansCJK-{weight}.ttc"
        if not source.exists():
            print(f"subset_font: {source} not found (install fonts-noto-cjk)", file=sys.stderr)
            return 1
        size = subset(source, out_dir / name, chars)
        print(f"{out_dir / name}: {len(chars)} characters, {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
