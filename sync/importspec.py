"""Which of a file's columns feed which attendee field, and how their values translate.

`--map 'First Name+Last Name=name,Email=email'`, `--values 'badge_type:General Admission=attendee;VIP=vip'`
and the named presets (`eventbrite`, `pretix`, `zh`) all end up as one `ImportSpec`. Headers and
values holding `,` `=` `+` `;` `:` are written in double quotes (`"Name, given"`), a quote inside
quotes doubled (`""`). docs/attendee-csv.md is the contract.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.errors import BadInput
from kiosk.models import BADGE_TYPES

FIELDS = ("id", "name", "name_zh", "organisation", "title", "email", "phone", "badge_type", "consent", "code",
          "status")
STATUSES = ("active", "cancelled")
_ALLOWED = {"badge_type": BADGE_TYPES, "status": STATUSES,
            "consent": ("yes", "no", "y", "n", "1", "0", "true", "false", "是", "否", "")}
ANY = "*"  # in --values: every value not named otherwise


class SpecProblem(BadInput):
    """A --map, --values or --preset that cannot be used; the message quotes the bad part."""


@dataclass
class ImportSpec:
    """field → the headers joined to make it (in order), and field → {their value: ours}."""

    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    preset: str = ""
    optional: frozenset[str] = frozenset()  # fields whose headers may be missing (a preset's extras)


# What each platform's attendee export is called by; a file's columns absent here are ignored, and a
# preset's own columns the file lacks are skipped (except the ones that feed id, name or code).
PRESETS: dict[str, tuple[str, list[str]]] = {
    "eventbrite": (
        "Attendee #=id,First Name+Last Name=name,Email=email,Company=organisation,Job Title=title,"
        "Cell Phone=phone,Ticket Type=badge_type,Barcode #=code,Attendee Status=status",
        ["badge_type:General Admission=attendee;VIP=vip;Speaker=speaker;Press=press;Exhibitor=exhibitor;"
         "Staff=staff",
         "status:Attending=active;Checked In=active;Not Attending=cancelled;Refunded=cancelled;"
         "Cancelled=cancelled;Deleted=cancelled;Transferred=cancelled"]),
    "pretix": (
        "Order code+Position ID=id,Attendee name=name,Attendee email=email,Company=organisation,"
        "Product=badge_type,Ticket secret=code,Status=status",
        ["badge_type:Regular ticket=attendee;Standard ticket=attendee;Reduced ticket=attendee;VIP ticket=vip;"
         "Speaker ticket=speaker;Press ticket=press;Exhibitor ticket=exhibitor;Staff ticket=staff",
         "status:paid=active;pending=active;canceled=cancelled;cancelled=cancelled;expired=cancelled"]),
    "zh": (
        "姓名=name,姓名=name_zh,手机=phone,单位=organisation,职务=title,邮箱=email,票种=badge_type,"
        "签到码=code,状态=status",
        ["badge_type:普通票=attendee;观众票=attendee;嘉宾票=vip;贵宾票=vip;VIP票=vip;演讲嘉宾=speaker;"
         "讲者票=speaker;媒体票=press;记者票=press;展商票=exhibitor;工作人员=staff",
         "status:已报名=active;已通过=active;已签到=active;待审核=active;已取消=cancelled;已退票=cancelled;"
         "未通过=cancelled"]),
}
_PRESET_REQUIRED = {"id", "name"}


def split_quoted(text: str, sep: str) -> list[str]:
    """Split on `sep` outside double quotes; quotes are kept for unquote()."""
    parts, current, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    if quoted:
        raise SpecProblem(f"{text!r}: a double quote is not closed")
    parts.append("".join(current))
    return parts


def unquote(text: str) -> str:
    """`  "A, B"  ` → `A, B`; `""` inside quotes → `"`; unquoted text is trimmed."""
    text = text.strip()
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return text[1:-1].replace('""', '"')
    return text


def parse_map(spec: str | None) -> dict[str, tuple[str, ...]]:
    """'A+B=name,C=email,C=code' → {name: (A, B), email: (C,), code: (C,)}; a field named twice is refused."""
    out: dict[str, tuple[str, ...]] = {}
    for part in split_quoted(spec or "", ","):
        if not part.strip():
            continue
        sides = split_quoted(part, "=")
        if len(sides) != 2:
            raise SpecProblem(f"column mapping {part.strip()!r}: expected THEIR_HEADER=our_column "
                              f"(quote a header holding , = + ; with double quotes)")
        ours = unquote(sides[1])
        headers = tuple(unquote(h) for h in split_quoted(sides[0], "+"))
        if ours not in FIELDS:
            raise SpecProblem(f"column mapping {part.strip()!r}: {ours!r} is not one of {', '.join(FIELDS)}")
        if not all(headers):
            raise SpecProblem(f"column mapping {part.strip()!r}: an empty header name")
        if ours in out:
            raise SpecProblem(f"column mapping {part.strip()!r}: {ours!r} is mapped twice "
                              f"(join several columns with +)")
        out[ours] = headers
    return out


def parse_values(specs: list[str] | None) -> dict[str, dict[str, str]]:
    """['badge_type:General Admission=attendee;VIP=vip'] → {badge_type: {general admission: attendee, vip: vip}}."""
    out: dict[str, dict[str, str]] = {}
    for spec in specs or []:
        head = split_quoted(spec, ":")
        if len(head) < 2:
            raise SpecProblem(f"value mapping {spec!r}: expected FIELD:THEIRS=ours;THEIRS=ours")
        name = unquote(head[0])
        if name not in FIELDS:
            raise SpecProblem(f"value mapping {spec!r}: {name!r} is not one of {', '.join(FIELDS)}")
        table = out.setdefault(name, {})
        for pair in split_quoted(":".join(head[1:]), ";"):
            if not pair.strip():
                continue
            sides = split_quoted(pair, "=")
            if len(sides) != 2:
                raise SpecProblem(f"value mapping {pair.strip()!r}: expected THEIRS=ours")
            theirs, ours = unquote(sides[0]), unquote(sides[1])
            allowed = _ALLOWED.get(name)
            if allowed is not None and ours.lower() not in allowed:
                raise SpecProblem(f"value mapping {pair.strip()!r}: {ours!r} is not one of "
                                  f"{', '.join(a for a in allowed if a)}")
            table[theirs.casefold()] = ours
    return out


def build_spec(map_spec: str | None = None, value_specs: list[str] | None = None,
               preset: str | None = None) -> ImportSpec:
    """A preset's mapping and values, with the user's --map and --values on top (theirs win per field)."""
    sources: dict[str, tuple[str, ...]] = {}
    values: dict[str, dict[str, str]] = {}
    optional: set[str] = set()
    if preset:
        if preset not in PRESETS:
            raise SpecProblem(f"--preset {preset!r}: not one of {', '.join(PRESETS)}")
        preset_map, preset_values = PRESETS[preset]
        sources = parse_map(preset_map)
        values = parse_values(preset_values)
        optional = set(sources) - _PRESET_REQUIRED
    user = parse_map(map_spec)
    sources.update(user)
    optional -= set(user)
    for name, table in parse_values(value_specs).items():
        values.setdefault(name, {}).update(table)
    return ImportSpec(sources, values, preset or "", frozenset(optional))
