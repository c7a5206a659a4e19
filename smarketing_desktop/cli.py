"""The ``smarketing`` command: the GUI without a subcommand, headless work with one.

Subcommands never need a display. User errors are one clear line on stderr and a non-zero
exit (1; 2 for wrong usage); no traceback. Files are written atomically and a plan is
changed in one transaction or not at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from smarketing_desktop import APP_NAME, __version__
from smarketing_desktop.domain.words import Kind, Status, Team, words
from smarketing_desktop.errors import UserError
from smarketing_desktop.store.planfile import Plan, create_plan, open_plan

log = logging.getLogger("smarketing.cli")

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
# `conflicts --fail-on`: an unacknowledged conflict that bad (or worse) exists.
EXIT_CONFLICTS = 3


class UsageError(UserError):
    """Options that contradict each other: a usage error (exit 2), as argparse's own."""

    def __init__(self, command: str, problem: str) -> None:
        super().__init__(problem)
        self.command = command


def _default_db() -> Path:
    from smarketing_desktop.paths import default_plan_path

    return default_plan_path()


# A plan named like an export invites `--db plan.json --out plan.json`, which would
# replace the plan with its own export.
_EXPORT_SUFFIXES = (".json", ".ics", ".pdf", ".csv")
_PLAN_COMPANIONS = ("", "-wal", "-shm", "-journal")
# Characters that reorder or hide what follows them on a terminal line.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def terminal_text(text: str) -> str:
    """``text`` safe to print on a terminal: bidi and control characters as ``\\u202e``.

    A title with U+202E would reverse the rest of the line, an escape sequence would
    recolour or clear the terminal; newlines and tabs stay.
    """
    return "".join(
        f"\\u{ord(char):04x}"
        if char in _BIDI_CONTROLS or (unicodedata.category(char) == "Cc" and char not in "\n\t")
        else char
        for char in text
    )


def say(text: str, *, end: str = "\n", error: bool = False) -> None:
    """Print user-facing text (never --json output) with :func:`terminal_text`."""
    print(terminal_text(text), end=end, file=sys.stderr if error else sys.stdout)


def _plan_path(args: argparse.Namespace) -> Path:
    path = Path(args.db) if args.db else _default_db()
    if path.suffix.lower() in _EXPORT_SUFFIXES:
        raise UsageError(
            args.command or "",
            f"“{path.name}” is named like an export ({path.suffix.lower()}), not a plan: "
            f"a plan file ends in .smplan (for example --db {path.stem}.smplan).",
        )
    return path


def _is_plan_file(path: Path, plan: Path) -> bool:
    """Whether ``path`` is the plan file ``plan`` or one of SQLite's files beside it."""
    target = path.expanduser().resolve()
    for companion in _PLAN_COMPANIONS:
        other = Path(f"{plan.expanduser()}{companion}")
        if target == other.resolve():
            return True
        try:
            if target.exists() and other.exists() and os.path.samefile(target, other):
                return True  # a hard link, or a path through another mount of the folder
        except OSError:
            continue
    return False


def _check_range(first: dt.date | None, last: dt.date | None, command: str) -> None:
    """Refuse ``--from`` after ``--to`` with one wording for every command."""
    if first is not None and last is not None and last < first:
        raise UsageError(command, f"--to ({last}) is before --from ({first}): swap them.")


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
    say(f"Wrote the demo plan to {path}")
    return EXIT_OK


def iso_date(text: str) -> dt.date:
    """An argparse type: a date as YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None


def _period(args: argparse.Namespace) -> tuple[dt.date, dt.date]:
    """``--from``/``--to``, each defaulting to the current quarter's edge."""
    today = dt.date.today()
    quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    next_quarter = dt.date(quarter.year + quarter.month // 10, (quarter.month + 2) % 12 + 1, 1)
    _check_range(args.date_from, args.date_to, args.command)
    first = args.date_from or quarter
    last = args.date_to or next_quarter - dt.timedelta(days=1)
    if last < first:
        given, default = ("--to", "--from") if args.date_to else ("--from", "--to")
        raise UsageError(
            args.command,
            f"{given} ({args.date_to or args.date_from}) leaves no days with the default "
            f"{default} (this quarter: {first} to {last}); give {default} too.",
        )
    return first, last


def _describe_period(first: dt.date, last: dt.date) -> str:
    from smarketing_desktop.domain.periods import describe_period

    return describe_period(first, last)


def _pdf_subject(args: argparse.Namespace) -> str:
    chosen = [name for name in ("sla", "personas", "review") if getattr(args, name)]
    if len(chosen) > 1:
        raise UsageError("export", "Choose one of --sla, --personas and --review for a PDF.")
    return chosen[0] if chosen else "calendar"


def _export_pdf(plan: Plan, out: Path, args: argparse.Namespace) -> str:
    subject = _pdf_subject(args)
    if subject == "calendar":
        from smarketing_desktop.domain.periods import page_count
        from smarketing_desktop.domain.zones import system_zone
        from smarketing_desktop.services.calendar_print import export_calendar_pdf

        first, last = _period(args)
        view: Literal["month", "quarter"] = args.view or "month"
        # Times as the app shows them on this computer.
        pages = export_calendar_pdf(plan, first, last, view, out, zone=system_zone())
        # At least a page per month or quarter; busy ones list the rest on further pages.
        periods = page_count(first, last, view)
        return (
            f"the calendar, {pages} page{'s' if pages != 1 else ''} for {periods} "
            f"{view}{'s' if periods != 1 else ''},"
        )
    if subject == "sla":
        from smarketing_desktop.services.exports import export_sla_pdf
        from smarketing_desktop.services.slas import get_sla

        export_sla_pdf(get_sla(plan, args.sla), out)
        return f"the SLA {args.sla!r}"
    if subject == "personas":
        from smarketing_desktop.services.personas import write_persona_sheets

        count = write_persona_sheets(plan, out, args.persona)
        return f"{count} persona sheet{'s' if count != 1 else ''}"
    from smarketing_desktop.services.exports import export_review_pdf

    first, last = _period(args)
    export_review_pdf(plan, first, last, _describe_period(first, last), out)
    return f"the campaign review {_describe_period(first, last)}"


def _export_csv(plan: Plan, out: Path, args: argparse.Namespace) -> str:
    if not args.review:
        raise UserError("A .csv export is the review table: add --review.")
    from smarketing_desktop.services.exports import export_review_csv
    from smarketing_desktop.services.review import goal_rows

    first, last = _period(args)
    export_review_csv(goal_rows(plan, first, last), out)
    return f"the review table {_describe_period(first, last)}"


def _export_json(plan: Plan, out: Path, _args: argparse.Namespace) -> str:
    from smarketing_desktop.services.exports import export_plan_json

    export_plan_json(plan, out)
    return "the plan"


def _export_ics(plan: Plan, out: Path, args: argparse.Namespace) -> str:
    filters = {
        "--team": args.team,
        "--kind": args.kind,
        "--status": args.status,
        "--owner": args.owner,
        "--persona": args.persona,
        "--from": args.date_from,
        "--to": args.date_to,
    }
    if args.personas or args.review:
        raise UsageError(
            "export", "An .ics export is a calendar: --personas and --review make PDFs."
        )
    if args.sla:
        given = [name for name, value in filters.items() if value]
        if given:
            raise UsageError(
                "export", f"--sla exports that SLA's review meetings; drop {given[0]}."
            )
        from smarketing_desktop.services.sla_ical import export_sla_ics

        count = export_sla_ics(plan, args.sla, out)
        return f"the review meetings of the SLA {args.sla!r} ({count} events)"
    _check_range(args.date_from, args.date_to, "export")
    from smarketing_desktop.domain.filters import ItemFilter
    from smarketing_desktop.services.ical import export_calendar

    chosen = ItemFilter(
        teams=frozenset(args.team or ()),
        kinds=frozenset(args.kind or ()),
        statuses=frozenset(args.status or ()),
        personas=frozenset([args.persona] if args.persona else ()),
        owners=frozenset(args.owner or ()),
        first=args.date_from,
        last=args.date_to,
    )
    count = export_calendar(plan, chosen, out)
    return f"{count} event{'s' if count != 1 else ''}"


EXPORTERS: dict[str, Callable[[Plan, Path, argparse.Namespace], str]] = {
    ".json": _export_json,
    ".pdf": _export_pdf,
    ".csv": _export_csv,
    ".ics": _export_ics,
}


# The export options, and which of them each kind of export reads; any other option the
# user gave would be silently ignored, so it is refused instead.
_EXPORT_FLAGS = {
    "sla": "--sla",
    "personas": "--personas",
    "persona": "--persona",
    "review": "--review",
    "team": "--team",
    "kind": "--kind",
    "status": "--status",
    "owner": "--owner",
    "date_from": "--from",
    "date_to": "--to",
    "view": "--view",
}
_ICS_FILTERS = {"team", "kind", "status", "owner", "persona", "date_from", "date_to"}
_EXPORT_READS: dict[tuple[str, str], tuple[str, set[str]]] = {
    (".json", ""): ("the whole plan (.json)", set()),
    (".pdf", "calendar"): ("a calendar PDF", {"date_from", "date_to", "view"}),
    (".pdf", "sla"): ("an SLA PDF", {"sla"}),
    (".pdf", "personas"): ("persona sheets", {"personas", "persona"}),
    (".pdf", "review"): ("the review PDF", {"review", "date_from", "date_to"}),
    (".csv", ""): ("the review table (.csv)", {"review", "date_from", "date_to"}),
    (".ics", ""): ("an .ics calendar", {"sla", "personas", "review", *_ICS_FILTERS}),
}


def _check_export_options(suffix: str, args: argparse.Namespace) -> None:
    """Refuse an option the chosen export would ignore (``--persona`` without
    ``--personas``, ``--team`` with ``--review``, ``--view`` for a .json, …)."""
    subject = _pdf_subject(args) if suffix == ".pdf" else ""
    what, reads = _EXPORT_READS[(suffix, subject)]
    for name, flag in _EXPORT_FLAGS.items():
        if name in reads or getattr(args, name) in (None, False, []):
            continue
        if name == "persona" and suffix == ".pdf":
            raise UsageError("export", "--persona picks one of the persona sheets: add --personas")
        raise UsageError("export", f"{flag} does not apply to {what}: leave it out")


def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    suffix = _suffix(out, tuple(EXPORTERS), "export to")
    _check_export_options(suffix, args)
    plan_path = _plan_path(args)
    if _is_plan_file(out, plan_path):
        raise UsageError(
            "export", f"--out “{out}” is the plan itself; the export would destroy it."
        )
    with open_plan(plan_path) as plan:
        what = EXPORTERS[suffix](plan, out, args)
    say(f"Exported {what} to {out}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from smarketing_desktop.services.ical import read_calendars
    from smarketing_desktop.services.imports import import_files, read_plan_file

    plan_path = _plan_path(args).expanduser()
    for name in args.files:
        if _is_plan_file(Path(name), plan_path):
            raise UsageError("import", f"“{name}” is the plan itself: import an export of it.")
    ics_files = [
        Path(n) for n in args.files if _suffix(Path(n), (".json", ".ics"), "import") == ".ics"
    ]
    # Every file is read and checked before the plan is touched: all or nothing.
    ics = read_calendars(ics_files, kind=args.kind, team=args.team) if ics_files else None
    documents = [
        (Path(name).name, read_plan_file(Path(name)))
        for name in args.files
        if _suffix(Path(name), (".json", ".ics"), "import") == ".json"
    ]
    created = not plan_path.exists()
    plan = create_plan(plan_path) if created else open_plan(plan_path)
    try:
        with plan:
            done = import_files(plan, documents, ics)
    except BaseException:
        # Some problems (an owner nobody has) show only while writing: a plan made for
        # this import goes again, so a failed import never leaves an empty plan behind.
        if created:
            for leftover in (plan.path, Path(f"{plan.path}-wal"), Path(f"{plan.path}-shm")):
                leftover.unlink(missing_ok=True)
        raise
    for (name, _), report in zip(documents, done.documents, strict=True):
        say(f"{name}: {report.summary()}")
    if done.calendars is not None:
        say(f"{', '.join(done.calendars.files)}: {done.calendars.summary()}")
        for reason in done.calendars.reasons():
            say(f"  {reason}", error=True)
    return EXIT_OK


def cmd_conflicts(args: argparse.Namespace) -> int:
    from smarketing_desktop.services.conflict_report import conflicts_json, conflicts_table
    from smarketing_desktop.services.conflicts import check_plan, worst_unacknowledged

    _check_range(args.date_from, args.date_to, "conflicts")
    with open_plan(_plan_path(args)) as plan:
        findings = check_plan(plan, first=args.date_from, last=args.date_to)
    if args.json:
        print(conflicts_json(findings), end="")  # JSON escapes what a terminal would run
    else:
        say(conflicts_table(findings), end="")
    worst = worst_unacknowledged(findings)
    if args.fail_on and worst is not None and (args.fail_on == "warning" or worst == "error"):
        return EXIT_CONFLICTS
    return EXIT_OK


def _db_option(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        # A command's own default would overwrite a --db given before the command
        # (argparse copies every sub-parser default over the main namespace).
        default=None if top_level else argparse.SUPPRESS,
        help="the plan file (default: the plan in your user data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smarketing",
        description=f"{APP_NAME}: sales and marketing plan together. "
        "Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"smarketing {__version__}")
    _db_option(parser, top_level=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", help="write the demo plan into a plan file")
    _db_option(demo)
    demo.add_argument("--force", action="store_true", help="replace a plan that has data")
    demo.set_defaults(run=cmd_demo)

    export = commands.add_parser(
        "export",
        help="write the plan, or part of it, to a file (.json, .pdf, .csv, .ics)",
        description="The file type is chosen by the extension of --out: .json is the whole "
        "plan; .pdf prints the calendar (--view month|quarter, --from/--to; default: this "
        "quarter), an SLA (--sla), persona sheets (--personas) or the campaign review "
        "(--review); .csv is the review table (--review); .ics is a calendar of the scheduled "
        "items for Outlook, Google or Apple Calendar (--team, --kind, --status, --owner, "
        "--persona, --from, --to choose which), or with --sla that SLA's review meetings.",
    )
    _db_option(export)
    export.add_argument("--out", required=True, metavar="FILE", help="the file to write")
    export.add_argument(
        "--sla", metavar="ID", help="this SLA: a PDF to sign, or (.ics) its review meetings"
    )
    export.add_argument("--personas", action="store_true", help="PDF persona sheets")
    export.add_argument("--persona", metavar="ID", help="only this persona")
    export.add_argument("--review", action="store_true", help="the campaign review")
    export.add_argument(
        "--team", action="append", choices=words(Team), help=".ics: only this team (repeatable)"
    )
    export.add_argument(
        "--kind", action="append", choices=words(Kind), help=".ics: only this kind (repeatable)"
    )
    export.add_argument(
        "--status",
        action="append",
        choices=words(Status),
        help=".ics: only this status (repeatable)",
    )
    export.add_argument(
        "--owner", action="append", metavar="ID", help=".ics: only this owner (repeatable)"
    )
    export.add_argument(
        "--from", dest="date_from", type=iso_date, metavar="DATE", help="first day (YYYY-MM-DD)"
    )
    export.add_argument(
        "--to", dest="date_to", type=iso_date, metavar="DATE", help="last day (YYYY-MM-DD)"
    )
    export.add_argument(
        "--view",
        choices=("month", "quarter"),
        default=None,  # "month"; None tells that --view was not given
        help="calendar PDF: at least one page per month (default) or per quarter",
    )
    export.set_defaults(run=cmd_export)

    imp = commands.add_parser(
        "import",
        help="read files into the plan (.json, .ics)",
        description="Reads plan documents (.json) and calendars (.ics) into the plan, all in "
        "one transaction: if any file cannot be read, nothing is imported. Calendar events "
        "take their kind and team from CATEGORIES, else from --kind and --team.",
    )
    imp.add_argument("files", nargs="+", metavar="FILE", help="the files to read")
    imp.add_argument(
        "--kind",
        choices=words(Kind),
        default=Kind.OTHER.value,
        help=".ics: kind of events whose categories name none (default: other)",
    )
    imp.add_argument(
        "--team",
        choices=words(Team),
        default=Team.MARKETING.value,
        help=".ics: team of events whose categories name none (default: marketing)",
    )
    _db_option(imp)
    imp.set_defaults(run=cmd_import)

    conflicts = commands.add_parser(
        "conflicts",
        help="list the conflicts in the plan (a table, or --json)",
        description="Checks the plan against its conflict rules (Plan → Conflict rules… in "
        "the app) and lists every conflict, worst first; acknowledged ones are marked. "
        "Exits 0 whether or not there are conflicts; with --fail-on, exits 3 when a "
        "conflict nobody acknowledged is that severe or worse.",
    )
    _db_option(conflicts)
    conflicts.add_argument("--json", action="store_true", help="print a JSON array")
    conflicts.add_argument(
        "--from", dest="date_from", type=iso_date, metavar="DATE", help="first day (YYYY-MM-DD)"
    )
    conflicts.add_argument(
        "--to", dest="date_to", type=iso_date, metavar="DATE", help="last day (YYYY-MM-DD)"
    )
    conflicts.add_argument(
        "--fail-on",
        choices=("error", "warning"),
        help="exit 3 when an unacknowledged conflict of this severity or worse exists",
    )
    conflicts.set_defaults(run=cmd_conflicts)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        from smarketing_desktop.gui.app import run as run_gui

        try:
            db = _plan_path(args) if args.db else None
        except UsageError as error:
            say(f"smarketing: error: {error}", error=True)
            return EXIT_USAGE
        return run_gui(db)
    logging.basicConfig(level=logging.WARNING, format="smarketing: %(levelname)s: %(message)s")
    try:
        return run(args)
    except UsageError as error:
        say(f"smarketing {error.command}: error: {error}", error=True)
        return EXIT_USAGE
    except UserError as error:
        say(f"smarketing: error: {error}", error=True)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("smarketing: interrupted; nothing was changed", file=sys.stderr)
        return 130


__all__ = ["Plan", "build_parser", "main"]
