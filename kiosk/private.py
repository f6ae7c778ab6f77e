"""Files that hold personal data or valid badge codes are readable by their owner only.

Bundles, lead exports, badge images, the print folder, setup-code images and keys: a file is
created with mode 0600 (a folder 0700) before anything is written into it, so there is no
moment at which another user of the machine could open it. An existing file is narrowed too.
"""
from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

FILE_MODE = stat.S_IRUSR | stat.S_IWUSR  # 0600
DIR_MODE = stat.S_IRWXU  # 0700


def claim(path: str | os.PathLike) -> Path:
    """Create (or empty) `path` as an owner-only file, for a library that then writes it by name."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.close(fd)
    _narrow(path, FILE_MODE)
    return path


def _narrow(path: Path, mode: int) -> None:
    """chmod, except where the file system has no modes (a FAT USB stick refuses it)."""
    try:
        os.chmod(path, mode)
    except PermissionError:
        pass


@contextmanager
def private_file(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """Open `path` for writing (binary) as an owner-only file."""
    path = claim(path)
    with open(path, "wb") as fh:
        yield fh


def private_dir(path: str | os.PathLike) -> Path:
    """Make a folder (and its parents) that only its owner may list or enter."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    _narrow(path, DIR_MODE)
    return path
