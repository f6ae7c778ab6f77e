"""Writes the hall-plan test files of tests/data (committed; run again after changing this).

    python -m tests.data.make_hall_files

The venue: a 40 x 30 m hall; blocks A (A01-A10) and B (B01-B10) of 3 x 3 m booths, back to
back in two rows, and a short block C (301-303). The files are what an organiser gets:
- venue-hall.json: outline, entrance, kiosk and the booths (the reference for the others);
- venue-booths.csv: the booths as id,x,y,w,h in metres;
- venue-booths-cad.svg: the booths as a CAD program exports them: millimetres, y up under a
  flipping group transform, a nested translate, an Illustrator-escaped numeric id (_x33_01 for
  301), and layers of other shapes with generated ids that are not booths;
- venue-plan.png: the plan as a picture, 20 px per metre, the hall's (0, 0) at pixel (40, 30);
- venue-plan.pdf: a one-page vector PDF at 1:200 on A4 landscape (written by hand, no library),
  the hall's (0, 0) at 100, 80 pt from the top-left corner;
- hostile-laughs.svg, hostile-external.svg: an entity bomb and an external entity reading a
  local file; both must be refused.
"""
from __future__ import annotations

import json
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
W, H = 40.0, 30.0


def booths() -> list[tuple[str, float, float, float, float]]:
    out = []
    for block, y in (("A", 6.0), ("B", 16.0)):
        for i in range(10):
            row, col = divmod(i, 5)
            out.append((f"{block}{i + 1:02d}", 6.0 + col * 3, y + row * 3, 3.0, 3.0))
    out += [(f"30{i + 1}", 26.0 + i * 3, 6.0, 3.0, 3.0) for i in range(3)]
    return out


def hall_json() -> dict:
    return {
        "format": 1, "name": "Venue test hall", "name_zh": "测试展厅",
        "outline": [[0, 0], [W, 0], [W, H], [0, H]],
        "booths": [{"id": b, "rect": [x, y, w, h]} for b, x, y, w, h in booths()],
        "entrances": [{"id": "main", "name": "Main entrance", "name_zh": "主入口", "pos": [20, 30]}],
        "facilities": [{"id": "wc", "type": "toilet", "name": "Toilets", "name_zh": "洗手间", "pos": [2, 2]}],
        "kiosks": {"kiosk-1": [30, 27]},
    }


def booths_csv() -> str:
    lines = ["id,x,y,w,h"] + [f"{b},{x:g},{y:g},{w:g},{h:g}" for b, x, y, w, h in booths()]
    return "\n".join(lines) + "\n"


def cad_svg() -> str:
    """Millimetres, y up (a CAD drawing's model space) flipped by the booths layer's transform."""
    mm = 1000
    a_rects, b_rects, c_rects = [], [], []
    for b, x, y, w, h in booths():
        y_up = (H - y - h) * mm
        if b.startswith("A"):
            a_rects.append(f'      <rect id="{b}" x="{x * mm:g}" y="{y_up:g}" width="{w * mm:g}" height="{h * mm:g}" '
                           'style="fill:#e0e0e0;stroke:#000;stroke-width:20"/>')
        elif b.startswith("B"):  # block B is drawn 10 m lower (y up: 10000 mm less) and moved back by its group
            b_rects.append(f'      <rect id="{b}" x="{x * mm:g}" y="{y_up + 10 * mm:g}" width="{w * mm:g}" '
                           f'height="{h * mm:g}" style="fill:#e0e0e0;stroke:#000;stroke-width:20"/>')
        else:
            ident = "_x33_" + b[1:]  # Illustrator escapes an id that starts with a digit
            c_rects.append(f'      <rect id="{ident}" x="{x * mm:g}" y="{y_up:g}" width="{w * mm:g}" '
                           f'height="{h * mm:g}"/>')
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Generator: a CAD program's SVG export (drawing units: millimetres) -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1"
     width="{W * mm:g}mm" height="{H * mm:g}mm" viewBox="0 0 {W * mm:g} {H * mm:g}">
  <defs>
    <rect id="template-booth" x="0" y="0" width="3000" height="3000"/>
  </defs>
  <g id="walls" transform="translate(0,{H * mm:g}) scale(1,-1)">
    <rect id="rect2231" x="0" y="0" width="{W * mm:g}" height="{H * mm:g}" style="fill:none;stroke:#000;stroke-width:200"/>
    <rect id="column-1" x="19800" y="14800" width="400" height="400"/>
  </g>
  <g id="booths" transform="translate(0,{H * mm:g}) scale(1,-1)">
    <g id="block-a">
{chr(10).join(a_rects)}
    </g>
    <g id="block-b" transform="translate(0,-10000)">
{chr(10).join(b_rects)}
    </g>
    <g id="block-c">
{chr(10).join(c_rects)}
      <rect id="rect4410" x="26000" y="20000" width="9000" height="100"/>
    </g>
  </g>
</svg>
"""


def plan_png() -> Image.Image:
    px, ox, oy = 20, 40, 30
    img = Image.new("RGB", (int(W * px) + 2 * ox, int(H * px) + 2 * oy), "#FFFFFF")
    d = ImageDraw.Draw(img)

    def box(x, y, w, h, **kw):
        d.rectangle([ox + x * px, oy + y * px, ox + (x + w) * px, oy + (y + h) * px], **kw)
    box(0, 0, W, H, outline="#000000", width=4)
    for _b, x, y, w, h in booths():
        box(x, y, w, h, fill="#F5E6C8", outline="#8D6E63", width=2)
    box(19.8, 14.8, 0.4, 0.4, fill="#000000")  # a column
    box(26, 14, 9, 7, outline="#1565C0", width=3)  # a loading dock, drawn on the plan only
    d.text((ox + 27 * px, oy + 17 * px), "LOADING DOCK", fill="#1565C0")
    for m in range(0, int(W) + 1, 5):  # a 5 m grid along the top, as plans print their scale
        d.line([ox + m * px, oy - 12, ox + m * px, oy], fill="#1565C0", width=2)
    return img


def plan_pdf() -> bytes:
    """A4 landscape (842 x 595 pt), the hall at 1:200 (1 m = 14.1732 pt), (0, 0) at 100, 80 pt from the top-left."""
    s, ox, oy, page_h = 72 / 25.4 * 1000 / 200, 100.0, 80.0, 595.0

    def rect(x, y, w, h) -> str:  # hall metres -> PDF user space (y up from the bottom)
        return f"{ox + x * s:.2f} {page_h - oy - (y + h) * s:.2f} {w * s:.2f} {h * s:.2f} re"
    ops = ["2 w 0 0 0 RG", rect(0, 0, W, H) + " S", "0.5 w 0.55 0.43 0.39 RG 0.96 0.9 0.78 rg"]
    ops += [rect(x, y, w, h) + " B" for _b, x, y, w, h in booths()]
    ops += ["0 0 0 rg", rect(19.8, 14.8, 0.4, 0.4) + " f", "1.5 w 0.1 0.4 0.75 RG", rect(26, 14, 9, 7) + " S"]
    ops += ["BT /F1 10 Tf 100 40 Td (Venue test hall - scale 1:200) Tj ET",
            f"BT /F1 14 Tf 0.1 0.4 0.75 rg {ox + 27 * s:.2f} {page_h - oy - 18 * s:.2f} Td (LOADING DOCK) Tj ET"]
    content = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R "
         b"/Resources << /Font << /F1 5 0 R >> >> >>"),
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<svg xmlns="http://www.w3.org/2000/svg" width="40m" height="30m" viewBox="0 0 40 30">
  <rect id="A01" x="6" y="6" width="3" height="3"><title>&lol9;</title></rect>
</svg>
"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE svg [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<svg xmlns="http://www.w3.org/2000/svg" width="40m" height="30m" viewBox="0 0 40 30">
  <rect id="A01" x="6" y="6" width="3" height="3" data-booth="&secret;"/>
</svg>
"""


def main() -> None:
    (HERE / "venue-hall.json").write_text(json.dumps(hall_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (HERE / "venue-booths.csv").write_text(booths_csv(), encoding="utf-8")
    (HERE / "venue-booths-cad.svg").write_text(cad_svg(), encoding="utf-8")
    plan_png().save(HERE / "venue-plan.png", optimize=True)
    (HERE / "venue-plan.pdf").write_bytes(plan_pdf())
    (HERE / "hostile-laughs.svg").write_text(LAUGHS, encoding="utf-8")
    (HERE / "hostile-external.svg").write_text(EXTERNAL, encoding="utf-8")


if __name__ == "__main__":
    main()
