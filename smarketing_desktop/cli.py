"""The ``smarketing`` command: the GUI without a subcommand, headless work with one.

Subcommands never need a display. User errors are one clear line on stderr and a non-zero
exit (1; 2 for wrong usage); no traceback. Files are written atomically and a plan is
changed in one transaction or not at all.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from smarketing_desktop import APP_NAME, __version__
from smarketing_desktop.errors import UserError
from smarketing_desktop.store.planfile import Plan, open_plan

log = logging.getLogger("smarketing.cli")

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def _default_db() -> Path:
    from smarketing_desktop.paths import default_plan_path

    return default_plan_path()


def _plan_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else _default_db()


def _suffix(path: Path, allowed: Sequence[str], what: str) -> str:
    suffix = path.suffix.lower()
    if suffix not in allowed:
        raise UserError(
            f"Cannot {what} “{path.name}”: the file type is chosen by its extension, "
            f"one of {', '.join(allowed)}."
        )
    return suffix


def cmd_demo(args: argparse.Namespace) -> int:
    from smarketing_desktop.services.demo import write_demo

    path = _plan_path(args)
    with open_plan(path, create=True) as plan:
        write_demo(plan, replace=args.force)
    print(f"Wrote the demo plan to {path}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from smarketing_desktop.exchange.files import write_atomically
    from smarketing_desktop.exchange.plan_json import export_plan

    out = Path(args.out)
    _suffix(out, (".json",), "export to")
    with open_plan(_plan_path(args)) as plan:
        text = export_plan(plan)
    write_atomically(out, text.encode("utf-8"))
    print(f"Exported the plan to {out}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from smarketing_desktop.exchange.plan_json import ImportReport, read_document, write_records

    documents = []
    for name in args.files:
        path = Path(name)
        _suffix(path, (".json",), "import")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise UserError(f"Cannot read “{path}”: {error.strerror}.") from error
        try:
            documents.append(read_document(data))
        except UserError as error:
            raise UserError(f"{path.name}: {error} (nothing was imported)") from error
    plan_path = _plan_path(args)
    with open_plan(plan_path, create=True) as plan, plan.write() as session:
        reports: list[ImportReport] = []
        for name, document in zip(args.files, documents, strict=True):
            try:
                reports.append(write_records(session, document))
            except UserError as error:
                raise UserError(f"{Path(name).name}: {error} (nothing was imported)") from error
    for name, report in zip(args.files, reports, strict=True):
        print(f"{Path(name).name}: {report.summary()}")
    return EXIT_OK


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="the plan file (default: the plan in your user data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smarketing",
        description=f"{APP_NAME}: sales and marketing plan together. "
        "Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"smarketing {__version__}")
    _db_option(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", help="write the demo plan into a plan file")
    _db_option(demo)
    demo.add_argument("--force", action="store_true", help="replace a plan that has data")
    demo.set_defaults(run=cmd_demo)

    export = commands.add_parser("export", help="write the plan to a file (.json)")
    _db_option(export)
    export.add_argument("--out", required=True, metavar="FILE", help="the file to write")
    export.set_defaults(run=cmd_export)

    imp = commands.add_parser("import", help="read files into the plan (.json)")
    imp.add_argument("files", nargs="+", metavar="FILE", help="the files to read")
    _db_option(imp)
    imp.set_defaults(run=cmd_import)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        from smarketing_desktop.gui.app import run as run_gui

        return run_gui(Path(args.db) if args.db else None)
    logging.basicConfig(level=logging.WARNING, format="smarketing: %(levelname)s: %(message)s")
    try:
        return run(args)
    except UserError as error:
        print(f"smarketing: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("smarketing: interrupted; nothing was changed", file=sys.stderr)
        return 130


__all__ = ["Plan", "build_parser", "main"]
