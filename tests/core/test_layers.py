"""The layers are enforced, not hoped for: the core never imports Qt, imports point one way."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "smarketing_desktop"
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")
# What each layer may import from the package (gui may import everything).
ALLOWED = {
    "domain": {"domain", "errors"},
    "store": {"store", "domain", "errors"},
    "conflicts": {"conflicts", "domain", "errors"},
    "exchange": {"exchange", "store", "domain", "errors", "paths"},
    "services": {"services", "exchange", "conflicts", "store", "domain", "errors", "paths"},
}


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            found += [arg.value for arg in node.args if isinstance(arg, ast.Constant)]
    return found


def core_files() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "gui" not in p.relative_to(PACKAGE).parts]


def test_no_core_module_imports_qt() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in core_files()
        for name in imports(path)
        if name.split(".")[0] in QT
    ]
    assert offenders == []
    assert len(core_files()) > 20  # the scan really looked


def test_importing_the_whole_core_loads_no_qt() -> None:
    script = (
        "import importlib, pkgutil, sys\n"
        "import smarketing_desktop\n"
        "for m in pkgutil.walk_packages(smarketing_desktop.__path__, 'smarketing_desktop.'):\n"
        "    if '.gui' in m.name or m.name.endswith('__main__') or '.versions.' in m.name "
        "or m.name.endswith('migrations.env'):\n"
        "        continue\n"
        "    importlib.import_module(m.name)\n"
        "qt = [n for n in sys.modules if n.split('.')[0] in ('PySide6', 'shiboken6')]\n"
        "print(len(sys.modules), qt)\n"
        "sys.exit(1 if qt else 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_imports_point_one_way() -> None:
    wrong = []
    for path in core_files():
        parts = path.relative_to(PACKAGE).parts
        layer = parts[0] if len(parts) > 1 else None
        if layer not in ALLOWED:
            continue
        for name in imports(path):
            if not name.startswith("smarketing_desktop."):
                continue
            target = name.split(".")[1]
            if target not in ALLOWED[layer] and target not in ("__init__",):
                wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert wrong == []
