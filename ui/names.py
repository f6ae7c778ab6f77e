"""How a person's or a place's two names are shown: Qt-free, shared by the screens."""
from __future__ import annotations


def both_names(name: str, name_zh: str) -> str:
    """The name, then the Chinese name when there is a different one ("Wei Zhang  张伟")."""
    return name + (f"  {name_zh}" if name_zh and name_zh != name else "")


def local_name(name: str, name_zh: str, zh: bool) -> str:
    """The name in the screen's language: the Chinese one when shown in Chinese and there is one."""
    return (name_zh or name) if zh else name
