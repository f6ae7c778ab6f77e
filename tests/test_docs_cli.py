"""docs/cli.md is the command-line contract: its runnable examples must run, and it must name
every subcommand of both programs.

Each block marked `<!-- example: run -->` is run with bash (`set -euo pipefail`) in a fresh
empty directory, with the `kiosk` and `kiosk-server` console scripts of this Python's
environment first on the PATH and Qt offscreen. The blocks assert what they show themselves
(`test`, `grep`), so a change of behaviour fails here.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from entrypoints.kiosk_cli import build_parser as kiosk_parser
from entrypoints.server_cli import build_parser as server_parser

ROOT = Path(__file__).resolve().parent.parent
CLI_MD = ROOT / "docs" / "cli.md"
MARK = re.compile(r"^<!-- example: (run|not run \(.+\)) -->$")
FENCE = re.compile(r"^```(\w*)$")


def _parsers():
    return kiosk_parser(), server_parser()


def _blocks() -> list[tuple[int, str, str]]:
    """(line number, mark, body) of every marked fenced block."""
    lines = CLI_MD.read_text(encoding="utf-8").splitlines()
    out = []
    for i, line in enumerate(lines):
        m = MARK.match(line.strip())
        if not m:
            continue
        assert i + 1 < len(lines) and FENCE.match(lines[i + 1]) and lines[i + 1] != "```", \
            f"docs/cli.md:{i + 1}: an example mark must be followed by an opening fence"
        end = next(j for j in range(i + 2, len(lines)) if lines[j] == "```")
        out.append((i + 2, m.group(1), "\n".join(lines[i + 2:end]) + "\n"))
    return out


RUN_BLOCKS = [(line, body) for line, mark, body in _blocks() if mark == "run"]


def _subcommands(parser) -> list[str]:
    import argparse

    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(action.choices)


def test_every_sh_block_is_marked():
    """An unmarked shell example would silently go untested."""
    lines = CLI_MD.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if line == "```sh":
            assert i > 0 and MARK.match(lines[i - 1].strip()), \
                f"docs/cli.md:{i + 1}: mark the example with <!-- example: run --> or <!-- example: not run (why) -->"
    assert len(RUN_BLOCKS) >= 10


def test_every_subcommand_is_documented():
    text = CLI_MD.read_text(encoding="utf-8")
    kiosk_parser, server_parser = _parsers()
    for prog, parser in (("kiosk", kiosk_parser), ("kiosk-server", server_parser)):
        assert parser.prog == prog
        for name in _subcommands(parser):
            assert f"### `{prog} {name}`" in text, f"docs/cli.md has no section for `{prog} {name}`"
            sub = parser._subparsers._group_actions[0].choices[name]
            for action in sub._actions:
                for flag in action.option_strings:
                    if flag not in ("-h", "--help"):
                        assert flag in text, f"docs/cli.md does not mention {prog} {name} {flag}"


def _programs() -> Path:
    """The folder holding the `kiosk` and `kiosk-server` to run: this Python's console scripts."""
    bindir = Path(sys.executable).parent
    for script in ("kiosk", "kiosk-server"):
        assert (bindir / script).exists(), f"{script} is not installed next to {sys.executable}"
    return bindir


@pytest.fixture(scope="module")
def started(tmp_path_factory):
    """Every runnable example started at once (they are independent), so the module stays quick."""
    base = tmp_path_factory.mktemp("cli-examples")
    programs = _programs()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["PATH"] = os.pathsep.join([str(programs), str(Path(sys.executable).parent), env.get("PATH", "")])
    # the programs import this checkout's code, whatever else is installed
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["QT_QPA_PLATFORM"] = "offscreen"
    procs = {}
    for line, body in RUN_BLOCKS:
        folder = base / f"line{line}"
        folder.mkdir()
        env["HOME"] = str(folder)
        procs[line] = subprocess.Popen(["bash", "-xc", "set -euo pipefail\n" + body], cwd=folder, env=dict(env),
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    yield procs
    for proc in procs.values():
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("line", [line for line, _ in RUN_BLOCKS], ids=[f"cli.md:{line}" for line, _ in RUN_BLOCKS])
def test_example_runs(line, started):
    proc = started[line]
    try:
        out, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"the example at docs/cli.md:{line} did not finish in time\n{err[-3000:]}")
    assert proc.returncode == 0, (
        f"the example at docs/cli.md:{line} failed (exit {proc.returncode}); the trace ends with the failed "
        f"command\n--- stdout\n{out[-3000:]}\n--- stderr (bash -x trace)\n{err[-4000:]}")
    assert "Traceback" not in err, err
