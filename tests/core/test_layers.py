"""The layers are enforced, not hoped for: the core never imports Qt, imports point one way."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "smarketing_desktop"
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")
# What each layer may import from the package (gui and the cli's GUI entry excepted).
# ``errors`` and ``collector`` are leaves every layer may use.
LEAVES = {"errors", "collector"}
ALLOWED = {
    "domain": {"domain"} | LEAVES,
    "store": {"store", "domain"} | LEAVES,
    "conflicts": {"conflicts", "domain"} | LEAVES,
    "exchange": {"exchange", "store", "domain", "paths"} | LEAVES,
    "services": {"services", "exchange", "conflicts", "store", "domain", "paths"} | LEAVES,
}
TOP_LEVEL = {
    "errors": set(),
    "collector": set(),
    "paths": {"store"},
}


def module_name(path: Path) -> str:
    """``smarketing_desktop.store.planfile``; a package is its ``__init__`` module."""
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)


def imports(source: str, module: str = "smarketing_desktop.x") -> list[str]:
    """Every module ``source`` imports, relative imports made absolute, including
    ``importlib.import_module("...")``, ``import_module("...")`` and ``__import__("...")``."""
    tree = ast.parse(source)
    package = module.split(".")[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                prefix = ".".join(base)
                target = f"{prefix}.{node.module}" if node.module else prefix
            else:
                target = node.module or ""
            found.append(target)
            # `from package import module` imports the module too.
            found += [f"{target}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__"):
                found += [
                    arg.value
                    for arg in node.args[:1]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                ]
    return found


def core_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "gui" not in p.relative_to(PACKAGE).parts)


def imports_of(path: Path) -> list[str]:
    return imports(path.read_text("utf-8"), module_name(path))


def test_the_import_scanner_sees_every_form_of_import() -> None:
    source = (
        "import PySide6.QtCore\n"
        "from shiboken6 import isValid\n"
        "import importlib\n"
        "def later():\n"
        "    from PyQt6 import QtGui\n"
        "    importlib.import_module('PySide6.QtWidgets')\n"
        "    return __import__('shiboken6')\n"
        "from importlib import import_module\n"
        "import_module('PySide6.QtPdf')\n"
        "from ..gui import app\n"
        "from .. import cli\n"
        "from . import models\n"
    )
    found = imports(source, "smarketing_desktop.store.planfile")
    for name in (
        "PySide6.QtCore",
        "shiboken6",
        "PyQt6",
        "PySide6.QtWidgets",
        "PySide6.QtPdf",
        "smarketing_desktop.gui",
        "smarketing_desktop.gui.app",
        "smarketing_desktop.cli",
        "smarketing_desktop.store.models",
    ):
        assert name in found, name
    assert imports("from . import words\n", "smarketing_desktop.domain.__init__") == [
        "smarketing_desktop.domain",
        "smarketing_desktop.domain.words",
    ]


def test_no_core_module_imports_qt() -> None:
    files = core_files()
    offenders = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in files
        for name in imports_of(path)
        if name.split(".")[0] in QT
    ]
    assert offenders == []
    # The scan really looked at the whole core, migrations included.
    names = {str(p.relative_to(PACKAGE)) for p in files}
    assert len(files) > 30
    assert {"cli.py", "store/planfile.py", "services/demo.py", "exchange/plan_json.py"} <= names
    assert any(name.startswith("store/migrations/versions/") for name in names)
    # And the GUI, which must import Qt, is exactly what it left out.
    gui = list((PACKAGE / "gui").glob("*.py"))
    assert gui and any(name.split(".")[0] == "PySide6" for path in gui for name in imports_of(path))


IMPORT_EVERYTHING = """
import importlib, pkgutil, sys
from pathlib import Path

import smarketing_desktop

loaded = []
for info in pkgutil.walk_packages(smarketing_desktop.__path__, "smarketing_desktop."):
    name = info.name
    # gui is Qt by design; __main__ runs the command; the Alembic env needs Alembic's context.
    if name.startswith("smarketing_desktop.gui") or name.endswith(("__main__", "migrations.env")):
        continue
    importlib.import_module(name)
    loaded.append(name)

# And run the headless commands, whose imports are made lazily inside functions.
from smarketing_desktop.cli import main

work = Path(sys.argv[1])
assert main(["demo", "--db", str(work / "p.smplan")]) == 0
for out in ("plan.json", "calendar.pdf", "review.csv"):
    extra = ["--review"] if out.endswith(".csv") else []
    assert main(["export", "--db", str(work / "p.smplan"), "--out", str(work / out), *extra]) == 0

qt = sorted(n for n in sys.modules if n.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"))
print("LOADED", len(loaded), " ".join(loaded))
print("QT", qt)
sys.exit(1 if qt else 0)
"""


def test_importing_and_running_the_whole_core_loads_no_qt(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
    }
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    loaded = next(line for line in done.stdout.splitlines() if line.startswith("LOADED"))
    names = set(loaded.split()[2:])
    assert int(loaded.split()[1]) > 25
    for name in (
        "smarketing_desktop.cli",
        "smarketing_desktop.paths",
        "smarketing_desktop.store.planfile",
        "smarketing_desktop.exchange.calendar_pdf",
        "smarketing_desktop.services.demo",
    ):
        assert name in names, name
    assert (tmp_path / "calendar.pdf").read_bytes().startswith(b"%PDF")


# The package's own modules and sub-packages: `from smarketing_desktop import __version__`
# names an attribute, not a layer.
PARTS = {p.stem for p in PACKAGE.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}


def layer_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def wrong_imports() -> list[str]:
    wrong = []
    for path in core_files():
        layer = layer_of(path)
        allowed = ALLOWED.get(layer, TOP_LEVEL.get(layer))
        if allowed is None:
            continue
        for name in imports_of(path):
            parts = name.split(".")
            if parts[0] != "smarketing_desktop" or len(parts) == 1 or parts[1] not in PARTS:
                continue  # outside the package, or its root (__version__, APP_NAME)
            if parts[1] not in allowed | {layer}:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    return wrong


def test_imports_point_one_way() -> None:
    assert wrong_imports() == []


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("store", ("services", "gui", "cli")),
        ("domain", ("services", "gui", "cli", "store")),
        ("services", ("gui", "cli")),
        ("exchange", ("services", "gui", "cli")),
    ],
)
def test_lower_layers_never_reach_up(layer: str, forbidden: tuple[str, ...]) -> None:
    files = [p for p in core_files() if layer_of(p) == layer]
    assert files
    reaching_up = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in files
        for name in imports_of(path)
        if name.startswith("smarketing_desktop.") and name.split(".")[1] in forbidden
    ]
    assert reaching_up == []


# The window and the command line reach the plan through services. What they may still
# take from below, and why; anything else from the store, the exchange or SQLAlchemy
# is a view querying or writing the database itself.
FRONT_ALLOWANCES = {
    "smarketing_desktop.store.planfile": (
        "opening, creating and closing plan files is what the window and the command line "
        "do; the services take the open Plan"
    ),
    "smarketing_desktop.exchange.reader": (
        "format_offset: how the item dialog writes a UTC offset (+01:00), pure text"
    ),
}
BELOW_SERVICES = ("sqlalchemy", "smarketing_desktop.store", "smarketing_desktop.exchange")


def front_files() -> list[Path]:
    return [*sorted((PACKAGE / "gui").glob("*.py")), PACKAGE / "cli.py"]


def _below(name: str) -> bool:
    return any(name == layer or name.startswith(layer + ".") for layer in BELOW_SERVICES)


def _allowed(name: str) -> bool:
    return any(name == ok or name.startswith(ok + ".") for ok in FRONT_ALLOWANCES)


def _sessions_opened(path: Path) -> list[int]:
    """Lines where ``something.read()`` / ``.write()`` of a plan opens a session."""
    tree = ast.parse(path.read_text("utf-8"))
    return [
        call.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.withitem)
        for call in [node.context_expr]
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr in ("read", "write")
        and "plan" in ast.unparse(call.func.value)
    ]


def test_the_gui_and_cli_reach_the_plan_only_through_services() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in front_files()
        for name in imports_of(path)
        if _below(name) and not _allowed(name)
    ]
    offenders += [
        f"{path.relative_to(PACKAGE)}:{line} opens a plan session"
        for path in front_files()
        for line in _sessions_opened(path)
    ]
    assert offenders == []
    # The check really looks: the GUI does use the allowances, and it would see a query.
    assert any(_allowed(n) for p in front_files() for n in imports_of(p))
    assert _below("sqlalchemy.orm") and _below("smarketing_desktop.store.models")
    assert not _below("smarketing_desktop.storehouse")


def test_a_session_opened_in_the_front_would_be_seen(tmp_path: Path) -> None:
    sample = tmp_path / "view.py"
    sample.write_text("def f(self):\n    with self.context.plan.read() as session:\n        pass\n")
    assert _sessions_opened(sample) == [2]
