"""Architecture rules that keep the core testable without a screen."""
import importlib.metadata
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_core_and_sync_never_import_qt_or_ui():
    lint = Path(sys.executable).parent / "lint-imports"
    res = subprocess.run([str(lint), str(ROOT / "pyproject.toml")], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr


def test_only_the_headless_opencv_is_installed():
    names = {(d.metadata["Name"] or "").lower() for d in importlib.metadata.distributions()}
    assert "opencv-python-headless" in names
    assert not names & {"opencv-python", "opencv-contrib-python"}, "the non-headless wheel ships its own Qt 5"


def test_no_module_imports_itself_round_a_cycle():
    """docs/architecture.md: imports form no cycle, inside a layer either (the layers contract
    checks only between layers). A function-level import counts too, so none can hide one."""
    import grimp

    graph = grimp.build_graph("entrypoints", "ui", "sync", "kiosk")
    cycles = set()
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            if chain:
                cycles.add(" -> ".join((module, *chain)))
    assert not cycles, "import cycles:\n" + "\n".join(sorted(cycles))
