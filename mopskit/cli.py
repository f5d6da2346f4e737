"""The ``mopskit`` command: thin shells over keyword-only functions of the package."""

from __future__ import annotations

import argparse
import importlib
import inspect
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._version import __version__
from .errors import MopskitError, ParameterError

__all__ = ["FunctionDefault", "build_parser", "main"]

_EPILOG = """examples:
  mopskit start                          prepare ./mopskit-workspace and open JupyterLab
  mopskit app                            the same lessons as web apps: no code, only text, charts and widgets
  mopskit release notebooks/ released/   write trainee copies of the lessons
  mopskit report --list                  list reports and their parameters
  mopskit report dataset_profile -p dataset=contacts
  mopskit data list                      list the sample tables
  mopskit health exports/                the MOps health check on a folder of your own exports
  mopskit onboard hires.csv              each hire's path for their role: lessons, own data, schedule, home page
  mopskit hub-config --users ana,bob     a JupyterHub config: the kit for a cohort on one server"""


_REPORT_EPILOG = """examples:
  mopskit report dataset_profile -p dataset=exports/contacts.csv -p table=contacts
  mopskit report dataset_profile --batch runs.csv --workers 2 --out profiles
        one run per row of runs.csv, e.g.   run,dataset
                                            crm,exports/contacts.csv
                                            stack,martech_stack
        then open profiles/index.html; run it again to finish a stopped batch (--force: redo all)
  mopskit report my_reports/region.ipynb --batch regions.yaml --scheduler tcp://10.0.0.5:8786
        a report notebook of your own, on a Dask cluster (pip install 'mopskit[dask]' everywhere)
exit status: 0 every run ok, 1 a run failed or the input is wrong, 130 stopped with Ctrl+C"""


class FunctionDefault:
    """The default of one keyword of the function a command calls, read from that function when needed.

    The CLI never writes a default of its own: an option left out stays a :class:`FunctionDefault`, the command
    passes only the options given (:func:`_given`), and ``--help`` shows the function's default, importing the
    module only then (so ``mopskit start`` does not import the grader).
    """

    def __init__(self, function: str, name: str) -> None:
        self.function, self.name = function, name  # "module:callable", keyword

    def value(self) -> Any:
        """The function's default for the keyword."""
        module, _sep, attribute = self.function.partition(":")
        target = getattr(importlib.import_module(module), attribute)
        return inspect.signature(target).parameters[self.name].default

    def __str__(self) -> str:
        return str(self.value())

    def __repr__(self) -> str:
        return f"FunctionDefault({self.function!r}, {self.name!r})"


def _given(args: argparse.Namespace, **names: str) -> dict[str, Any]:
    """The options given on the command line, as keywords (``keyword="option_dest"``); defaults left out."""
    values = {keyword: getattr(args, dest) for keyword, dest in names.items()}
    return {keyword: value for keyword, value in values.items() if not isinstance(value, FunctionDefault)}


def _value(value: Any) -> Any:
    """An option's value, the function's default when it was left out."""
    return value.value() if isinstance(value, FunctionDefault) else value


def _parse_params(pairs: list[str], files: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for file in files:
        import yaml

        try:
            loaded = yaml.safe_load(Path(file).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ParameterError(f"cannot read parameters file '{file}': {exc}") from None
        if not isinstance(loaded, dict):
            raise ParameterError(
                f"parameters file '{file}' must hold 'name: value' lines (got {type(loaded).__name__})"
            )
        values.update(loaded)
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"'-p {pair}' must be written name=value, e.g. -p dataset=campaigns")
        values[name.strip()] = value
    return values


def _cmd_start(args: argparse.Namespace) -> int:
    from .workspace import start

    prepared = start(**_given(args, directory="directory"), launch=not args.no_launch, port=args.port, lang=args.lang)
    print(prepared)
    if args.no_launch:
        print(f"Open it later with: mopskit start {_value(args.directory)}")
    return 0


def _cmd_app(args: argparse.Namespace) -> int:
    from .app import run_app

    run_app(**_given(args, directory="directory"), port=args.port, open_browser=not args.no_browser, lang=args.lang)
    return 0


_APP_EPILOG = """examples:
  mopskit app                            serve ./mopskit-workspace; your browser opens the lessons
  mopskit app my-lessons --port 9000     another folder, on http://127.0.0.1:9000
  mopskit app --no-browser               print the address (with its token) and open it yourself

The home page lists the lessons in order with your progress (exercises answered, and correct). Answers are
saved in DIR/.mopskit as you give them, the same files JupyterLab uses: `mopskit start DIR` shows them too.
The server is for one person on this computer: it listens on 127.0.0.1 only and has no accounts. To serve a
group on one server, write a JupyterHub config with `mopskit hub-config` (one private workspace per user).
Ctrl+C stops the server and its kernels."""


def _cmd_release(args: argparse.Namespace) -> int:
    from .assess import release

    if args.retake:
        if args.per_trainee:
            raise ParameterError("--retake and --per-trainee do not go together: give one")
        from .onboarding import retake

        trainee, lesson = args.retake
        done = retake(
            trainee,
            lesson,
            directory=Path(args.out_dir) / trainee,
            lessons=args.source_dir,
            **_given(args, db="db"),
        )
        print(done)
        return 0
    if args.per_trainee:
        return _cmd_release_per_trainee(args)
    summaries = release(
        source_dir=args.source_dir,
        out_dir=args.out_dir,
        overwrite=not args.keep_existing,
        **_given(args, pattern="pattern"),
    )
    for s in summaries:
        hidden = sum(s.hidden_checks.values())
        print(f"{s.target}: {s.solutions_removed} solutions and {hidden} hidden checks removed")
    return 0


def _cmd_batch(args: argparse.Namespace) -> int:
    from .batch import run_batch

    try:
        result = run_batch(
            args.name,
            args.batch,
            parameters=_parse_params(args.param, args.param_file),
            workers=args.workers,
            scheduler=args.scheduler,
            force=args.force,
            show_code=args.show_code,
            progress=not args.quiet,
            **_given(args, out_dir="out", timeout="timeout"),
        )
    except KeyboardInterrupt:
        index = Path(_value(args.out)) / "index.html"
        print(
            f"\nmopskit: stopped; every kernel was shut down and finished runs are kept (see {index}).\n"
            "Run the same command again to do only what is left.",
            file=sys.stderr,
        )
        return 130
    print(result.describe())
    return 0 if result.ok else 1


def _cmd_report(args: argparse.Namespace) -> int:
    from .reports import list_reports, run_report

    if args.list:
        for info in list_reports():
            print(info.describe())
        return 0
    if not args.name:
        raise ParameterError("name a report to run (see: mopskit report --list)")
    if args.batch:
        return _cmd_batch(args)
    batch_only = [
        flag
        for flag, value in (("--workers", args.workers), ("--scheduler", args.scheduler), ("--force", args.force))
        if value
    ]
    if batch_only:
        raise ParameterError(f"{', '.join(batch_only)} only apply to batch runs: add --batch RUNS.csv")
    result = run_report(
        args.name,
        parameters=_parse_params(args.param, args.param_file),
        show_code=args.show_code,
        progress=not args.quiet,
        **_given(args, out_dir="out", timeout="timeout"),
    )
    print(f"Report '{result.name}' done in {result.seconds:.1f} s:\n  {result.html}\n  {result.notebook}")
    return 0


def _cmd_data(args: argparse.Namespace) -> int:
    from . import data

    if args.data_command == "list":
        for name in data.tables():
            print(f"{name:20} {data.table_spec(name).description}")
        return 0
    if args.data_command == "describe":
        print(data.describe(args.table).to_string(index=False))
        return 0
    if args.data_command == "validate":
        frame = data.read(args.path, table=args.table)
        print(f"{args.path}: fits the '{args.table}' table ({len(frame)} rows, {frame.shape[1]} columns)")
        return 0
    from .data.generate import generate

    tables = [t.strip() for t in args.tables.split(",") if t.strip()] if args.tables else None
    written = generate(
        parquet=args.parquet,
        progress=not args.quiet,
        tables=tables,
        **_given(args, seed="seed", scale="scale", out_dir="out"),
    )
    for path in written:
        print(path)
    return 0


_HEALTH_EPILOG = """examples:
  mopskit health exports/                        check one folder of exports, report in ./health-report
  mopskit health exports/ --as-of 2026-10-31 --sla-hours 16 --time-zone Europe/Bucharest --out report/
  mopskit health exports/ --map columns.yaml     read exports the kit does not recognise, as the mapping says
  mopskit health emea/ americas/ apac/ --workers 3
        one report per folder (health-report/emea/, ...), in parallel; --scheduler tcp://host:8786 for Dask

The kit recognises, by their headers: HubSpot contacts and email events, Mailchimp audience exports (the zip is
fine), Salesforce campaign members, Marketo bulk activity extracts, GA4 BigQuery exports (JSON lines or Parquet)
and the kit's stack inventory. Open health_report.html; evidence/ holds every affected row, with file and row."""


def _cmd_health(args: argparse.Namespace) -> int:
    from .health import check_folders, health_check

    if args.formats:
        from .data.exports import describe_layouts

        print(describe_layouts())
        return 0
    if not args.exports:
        raise ParameterError("name the folder of exports to check, e.g. mopskit health exports/ (see --help)")
    options: dict[str, Any] = {
        name: value
        for name, value in (
            ("as_of", args.as_of),
            ("mapping", args.map),
            ("sla_hours", args.sla_hours),
            ("business_hours", args.business_hours),
            ("time_zone", args.time_zone),
            ("min_sends", args.min_sends),
        )
        if value is not None
    }
    if args.out is not None:
        options["out_dir"] = args.out
    if len(args.exports) == 1:
        if args.workers is not None or args.scheduler is not None:
            raise ParameterError("--workers and --scheduler spread several export folders; give more than one folder")
        result = health_check(args.exports[0], progress=not args.quiet, **options)
        print(result.summary())
        for number, finding in enumerate(result.fix_first(), 1):
            print(f"  {number}. [{finding.severity}] {finding.title}: {finding.summary}")
        print(f"Report: {result.report}")
        return 0
    outcomes = check_folders(
        args.exports, workers=args.workers, scheduler=args.scheduler, progress=not args.quiet, **options
    )
    for outcome in outcomes:
        state = "" if outcome.ok else "FAILED: "
        print(f"{outcome.folder} -> {outcome.out_dir}: {state}{outcome.summary}")
    return 0 if all(o.ok for o in outcomes) else 1


def _add_health_command(sub: Any) -> None:
    p = sub.add_parser(
        "health",
        help="the MOps health check: one report on a company's own exports (CRM, email, analytics, stack)",
        description="Read every export in EXPORTS_DIR (recognised by its headers), check data quality, consent,\n"
        "email health, the funnel and SLA, campaign responses, web tracking and the stack, and write one HTML\n"
        "report with a health score, the fixes to make first and the evidence of every finding.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_HEALTH_EPILOG,
    )
    p.add_argument("exports", nargs="*", metavar="EXPORTS_DIR", help="folder(s) of exports (sub-folders and zips too)")
    p.add_argument("--out", metavar="DIR", help="where the report goes (default: ./health-report)")
    p.add_argument("--as-of", metavar="DATE", help="check as of this day, YYYY-MM-DD (default: the latest record)")
    p.add_argument("--map", metavar="FILE", help="a mapping file (YAML) for exports the kit does not recognise")
    p.add_argument(
        "--sla-hours", type=float, metavar="H", help="business hours sales has to follow up an MQL (default: 8)"
    )
    p.add_argument(
        "--business-hours",
        metavar="SCHEDULE",
        help="the working week the SLA counts, e.g. '08:00-16:00 mon-thu' (default: '09:00-17:00 mon-fri')",
    )
    p.add_argument(
        "--time-zone", metavar="ZONE", help="the sales team's time zone, e.g. Europe/Bucharest (default: UTC)"
    )
    p.add_argument("--min-sends", type=int, metavar="N", help="smallest send judged on its rates (default: 100)")
    p.add_argument("--workers", type=int, metavar="N", help="with several folders: how many at once (default: cores)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="with several folders: a Dask cluster, tcp://host:8786")
    p.add_argument(
        "--formats", action="store_true", help="list the exports the kit recognises, with each vendor's quirks"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_health)


def _workspace_argument(parser: argparse.ArgumentParser, function: str) -> None:
    parser.add_argument(
        "directory",
        nargs="?",
        default=FunctionDefault(function, "directory"),
        metavar="DIR",
        help="workspace folder (default: ./%(default)s)",
    )


def _cmd_translations(args: argparse.Namespace) -> int:
    from .catalogs import catalog_status, render_lesson, update_catalogs

    if args.translations_command == "render":
        out = args.out or f"{args.lesson.removesuffix('.ipynb').rsplit('/', 1)[-1]}.{args.lang}.ipynb"
        _, rendered = render_lesson(args.lesson, args.lang, target=out)
        stale = f", stale (shown in English): {', '.join(rendered.stale)}" if rendered.stale else ""
        print(f"wrote {out}: {rendered.translated} texts translated, {rendered.untranslated} left in English{stale}")
        return 0
    chosen = args.lang or None
    updating = args.translations_command == "update"
    found = update_catalogs(languages=chosen) if updating else catalog_status(languages=chosen)
    for status in found:
        print(status)
    return 0 if updating or all(s.complete for s in found) else 1


_TRANSLATIONS_EPILOG = """a translator's round:
  mopskit translations update              extract the English, merge it into every catalog (nothing is lost)
  mopskit translations status --lang th    what is left: texts to translate, and stale ones (English changed)
  (edit notebooks/locale/th/*.po and mopskit/locale/th/LC_MESSAGES/*.po in a PO editor; clear "fuzzy")
  mopskit translations render notebooks/03_stack_audit.ipynb --lang th   look at the lesson in Thai
"""


def _lang_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        metavar="LANG",
        help="the language of the lessons, feedback and charts: en, ro, th or zh-TW (JupyterLab's menus follow "
        "in ro and zh-TW; it has no Thai); default: the workspace's last, else en. Lessons you worked in are "
        "kept in their language",
    )


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``mopskit`` command."""
    parser = argparse.ArgumentParser(
        prog="mopskit",
        description="Learn Marketing Operations by doing: lessons, checked exercises and reports in JupyterLab.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"mopskit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "start",
        help="prepare a trainee workspace and open JupyterLab in it",
        description="Put trainee copies of the lessons and the sample datasets in DIR (existing "
        "files are never overwritten), then open JupyterLab there.",
    )
    _workspace_argument(p, "mopskit.workspace:start")
    p.add_argument("--no-launch", action="store_true", help="prepare the workspace only; do not open JupyterLab")
    p.add_argument("--port", type=int, help="port for JupyterLab (default: 8888 or the next free one)")
    _lang_argument(p)
    p.set_defaults(func=_cmd_start)

    p = sub.add_parser(
        "app",
        help="serve the lessons as web apps: text, charts and exercise widgets, no code (Voilà)",
        description="Prepare DIR as `mopskit start` does (existing files are never overwritten), then serve its\n"
        "lessons as web apps with Voilà on 127.0.0.1: text, tables, charts and exercise widgets, never code.\n"
        "The address to open is printed; Ctrl+C stops the server.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_APP_EPILOG,
    )
    _workspace_argument(p, "mopskit.app:run_app")
    p.add_argument("--port", type=int, help="port on 127.0.0.1 (default: 8866, or a free one if it is taken)")
    p.add_argument("--no-browser", action="store_true", help="do not open a web browser; only print the address")
    _lang_argument(p)
    p.set_defaults(func=_cmd_app)

    p = sub.add_parser(
        "translations",
        help="for translators: update the catalogs from the English, see what is left, render a lesson",
        description="The kit's translations are gettext catalogs (.po) that any PO editor opens: the package's in\n"
        "mopskit/locale/<lang>/LC_MESSAGES/ and one per lesson in notebooks/locale/<lang>/ (msgctxt = cell id).\n"
        "Run from a checkout of the repository.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_TRANSLATIONS_EPILOG,
    )
    t_sub = p.add_subparsers(dest="translations_command", metavar="ACTION", required=True)
    for name, text in (
        ("update", "extract the English of the code, content and lessons, and merge it into every catalog"),
        ("status", "count what is translated, stale and left to do in each catalog (exit 1 if any is incomplete)"),
    ):
        q = t_sub.add_parser(name, help=text, description=text)
        q.add_argument("--lang", action="append", metavar="LANG", help="only this language (repeatable): ro, th, zh-TW")
        q.set_defaults(func=_cmd_translations)
    q = t_sub.add_parser("render", help="write a lesson in a language", description="Write LESSON in LANG.")
    q.add_argument("lesson", metavar="LESSON", help="the lesson's notebook (notebooks/NN_name.ipynb)")
    q.add_argument("--lang", required=True, metavar="LANG", help="ro, th, zh-TW, or en-XA (the pseudo-language)")
    q.add_argument("-o", "--out", metavar="FILE", help="where to write it (default: LESSON.LANG.ipynb here)")
    q.set_defaults(func=_cmd_translations)

    p = sub.add_parser(
        "release",
        help="write trainee copies of source notebooks",
        description="Strip solutions and hidden checks from every notebook in SRC_DIR and write "
        "the trainee copies to OUT_DIR.",
    )
    p.add_argument("source_dir", metavar="SRC_DIR", help="folder of instructor notebooks")
    p.add_argument("out_dir", metavar="OUT_DIR", help="folder for trainee copies (created if needed)")
    p.add_argument("--keep-existing", action="store_true", help="leave copies already in OUT_DIR untouched")
    _add_per_trainee_options(p)
    r = p.add_argument_group("a second attempt")
    r.add_argument(
        "--retake",
        nargs=2,
        metavar=("TRAINEE", "LESSON"),
        help="a fresh copy of LESSON in OUT_DIR/TRAINEE with new data (a new seed, recorded in --db); the earlier "
        "attempt moves to OUT_DIR/TRAINEE/attempts/",
    )
    r.add_argument(
        "--db",
        default=FunctionDefault("mopskit.onboarding:retake", "db"),
        help="the gradebook that records the retake's seed (default: %(default)s)",
    )
    p.set_defaults(func=_cmd_release)
    _add_onboard_command(sub)

    p = sub.add_parser(
        "report",
        help="run a parameterized report (papermill) into .ipynb and .html",
        description="Run a report notebook with papermill, once or (with --batch) once per row of a file. "
        "Parameters are checked before anything runs; see them with --list.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_REPORT_EPILOG,
    )
    p.add_argument(
        "name", nargs="?", metavar="NAME", help="the report to run: a name from --list, or the path of a .ipynb"
    )
    p.add_argument(
        "-p", "--param", action="append", default=[], metavar="KEY=VALUE", help="set one parameter (repeatable)"
    )
    p.add_argument(
        "-f",
        "--param-file",
        action="append",
        default=[],
        metavar="PARAMS.yaml",
        help="read parameters from a YAML file of 'name: value' lines (-p wins over it)",
    )
    report = "mopskit.reports:run_report"
    p.add_argument(
        "--out",
        default=FunctionDefault(report, "out_dir"),
        metavar="DIR",
        help="output folder (default: ./%(default)s)",
    )
    p.add_argument("--show-code", action="store_true", help="keep code cells in the HTML (hidden by default)")
    p.add_argument(
        "--timeout",
        type=int,
        default=FunctionDefault(report, "timeout"),
        metavar="SECONDS",
        help="time limit per cell (default: %(default)s)",
    )
    p.add_argument("--list", action="store_true", help="list the reports and their parameters, then stop")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    b = p.add_argument_group("batch runs (many parameter sets at once)")
    b.add_argument(
        "--batch",
        metavar="RUNS",
        help="a .csv or .yaml file with one parameter set per row (optional 'run' column names each run); "
        "-p/-f values apply to every row",
    )
    b.add_argument("--workers", type=int, metavar="N", help="runs at the same time on this machine (default: cores)")
    b.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="send the runs to a Dask cluster, e.g. tcp://10.0.0.5:8786 (needs mopskit[dask])",
    )
    b.add_argument("--force", action="store_true", help="run every row again, even runs already up to date")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser(
        "data",
        help="list, describe, validate or generate the sample datasets",
        description="Work with the kit's tables: list them, show a table's columns, check a file "
        "of yours against a table, or regenerate the sample data.",
    )
    data_sub = p.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    data_sub.add_parser("list", help="list the tables")
    d = data_sub.add_parser("describe", help="show the columns of one table")
    d.add_argument("table", help="table name, e.g. campaigns")
    d = data_sub.add_parser("validate", help="check a CSV or Parquet file against a table")
    d.add_argument("path", help="the file to check")
    d.add_argument("--table", required=True, help="the table the file should fit, e.g. contacts")
    d = data_sub.add_parser(
        "generate",
        help="regenerate the sample datasets, deterministically",
        description="Write every sample table from a seed. --scale multiplies the people (3,600 contacts at "
        "scale 1, what datasets/ holds) and all they do; the campaign calendar and budget stay the same. "
        "Event tables are written in chunks. Example: a million contacts with their behaviour for a benchmark: "
        "--scale 280 --tables contacts,activities,sales_team --parquet",
    )
    generate = "mopskit.data.generate:generate"
    d.add_argument(
        "--seed",
        type=int,
        default=FunctionDefault(generate, "seed"),
        help="random seed (default: %(default)s, the committed data)",
    )
    d.add_argument(
        "--scale",
        type=float,
        default=FunctionDefault(generate, "scale"),
        help="size factor for the people and all they do (default: %(default)s)",
    )
    d.add_argument(
        "--out",
        default=FunctionDefault(generate, "out_dir"),
        metavar="DIR",
        help="output folder (default: ./%(default)s)",
    )
    d.add_argument(
        "--parquet", action="store_true", help="also write Parquet copies of email_events, contacts and activities"
    )
    d.add_argument(
        "--tables",
        metavar="T1,T2",
        help="write only these tables, comma-separated (default: all; `mopskit data list` names them)",
    )
    d.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_data)
    _add_health_command(sub)
    _add_grading_commands(sub)
    _add_hub_commands(sub)
    return parser


_ONBOARD_EPILOG = """roster columns (a CSV saved by Excel is fine):
  name,email,role,start date
  Ana Pop,ana@acme.example,CRM administrator,2026-03-02
  Bo Li,bo@acme.example,MOps lead,2026-03-04
roles: an id, name or alias of the kit's role catalog (crm_admin, campaign manager, marketing analyst, MOps lead,
marketing automation specialist, ...); an optional id column gives each hire's id (their JupyterHub user name).

examples:
  mopskit onboard hires.csv                         paths in ./onboarding/<id>/, recorded in ./gradebook.sqlite
  mopskit onboard hires.csv --out /srv/hires --db grades/gradebook.sqlite
  mopskit start onboarding/ana@acme.example         the hire opens their path (mopskit app for no code)
  mopskit release notebooks/ onboarding --retake ana@acme.example 05_metrics"""


def _cmd_onboard(args: argparse.Namespace) -> int:
    from .onboarding import onboard

    options = _given(args, out_dir="out", lessons="source", db="db")
    if args.no_db:
        options["db"] = None
    summary = onboard(args.roster, **options, variants=not args.no_variants, progress=not args.quiet)
    print(summary)
    return 0


def _add_onboard_command(sub: Any) -> None:
    onboard = "mopskit.onboarding:onboard"
    p = sub.add_parser(
        "onboard",
        help="release each hire's path for their role: lessons, own data, a schedule and a home page",
        description="Read a roster of hires (name, email, role, start date) and release each one's path: the\n"
        "lessons that assess the competencies their role needs, their own data for each lesson, the due dates\n"
        "from their start date, and a home page with the path and their progress. Every bad row is named and\n"
        "nothing is released until the roster is right; existing work is never overwritten.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_ONBOARD_EPILOG,
    )
    p.add_argument("roster", metavar="ROSTER.csv", help="the hires: name, email, role, start date (and optionally id)")
    p.add_argument(
        "--out",
        default=FunctionDefault(onboard, "out_dir"),
        metavar="DIR",
        help="hires' folders (default: %(default)s)",
    )
    p.add_argument(
        "--source",
        metavar="DIR",
        default=FunctionDefault(onboard, "lessons"),
        help="the source lessons (default: the kit's own)",
    )
    p.add_argument(
        "--db",
        default=FunctionDefault(onboard, "db"),
        help="gradebook recording roles, start dates and seeds (default: %(default)s)",
    )
    p.add_argument("--no-db", action="store_true", help="record nothing in a gradebook")
    p.add_argument("--no-variants", action="store_true", help="every hire works on the data everyone shares")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_onboard)


def _add_per_trainee_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--per-trainee",
        metavar="ROSTER.csv",
        help="a folder per trainee (roster columns: id, name, email) with their own dataset variant of each lesson",
    )
    p.add_argument(
        "--pattern",
        default=FunctionDefault("mopskit.assess:release", "pattern"),
        help="which notebooks to release (default: %(default)s)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def _cmd_release_per_trainee(args: argparse.Namespace) -> int:
    from .assess import release_per_trainee

    done = release_per_trainee(
        source_dir=args.source_dir,
        out_dir=args.out_dir,
        roster=args.per_trainee,
        progress=not args.quiet,
        **_given(args, pattern="pattern"),
    )
    for trainee, summaries in done.items():
        print(f"{Path(args.out_dir) / trainee}: {len(summaries)} lessons released, each with its own data")
    return 0


def _limits(args: argparse.Namespace) -> Any:
    from .assess import Limits

    return Limits(
        **_given(
            args,
            cell_timeout="cell_timeout",
            timeout="timeout",
            memory_mb="memory",
            check_timeout="check_timeout",
            answer_mb="answer_mb",
        )
    )


def _cmd_grade(args: argparse.Namespace) -> int:
    from .assess import grade

    summary = grade(
        args.submissions,
        source=args.source,
        **_given(args, db="db", workers="workers"),
        scheduler=args.scheduler,
        force=args.force,
        unsandboxed=args.unsandboxed,
        limits=_limits(args),
        feedback_dir=args.feedback,
        variants=args.variants,
        roster=args.roster,
        progress=not args.quiet,
    )
    print(summary)
    return 1 if summary.failed else 0


def _cmd_grades(args: argparse.Namespace) -> int:
    from .assess import Gradebook

    if args.grades_command == "readiness":
        from .assess.readiness import write_readiness

        pages = write_readiness(**_given(args, db="db", out_dir="out", as_of="as_of", lessons="source"))
        print(f"{len(pages) - 1} readiness page(s) written; open {pages[0]}")
        return 0
    if args.grades_command == "send":
        from .lms import send_grades

        sent = send_grades(
            lrs=args.lrs,
            **_given(args, db="db", auth="auth", base="base", as_of="as_of", batch="batch", retries="retries"),
            mastery=not args.no_mastery,
            progress=not args.quiet,
        )
        print(f"{sent} to {args.lrs}")
        return 0
    if args.grades_command == "export":
        from .lms import export_grades as export

        text = export(
            out=args.out,
            long=args.long,
            **_given(args, db="db", fmt="format", section="section", identifier="identifier", base="base"),
        )
        if args.out:
            print(f"grades written to {args.out}")
        else:
            print(text, end="")
        return 0
    with Gradebook(**_given(args, db="db")) as book:
        if args.grades_command == "adjust":
            number = book.adjust(
                trainee=args.trainee,
                assignment=args.assignment,
                delta=args.points,
                reason=args.reason,
                author=args.author,
                reviewed=args.reviewed,
            )
            done = " (marked reviewed)" if args.reviewed else ""
            print(f"adjustment {number}: {args.points:+g} points for {args.trainee} on {args.assignment}{done}")
            return 0
        scores = book.scores(assignment=args.assignment, trainee=args.trainee)
        if scores.empty:
            print("no graded submissions match")
            return 0
        print(scores.drop(columns=["submitted_at"]).to_string(index=False))
        if args.trainee:
            results = book.check_results(assignment=args.assignment, trainee=args.trainee)
            print()
            print(results[["assignment", "exercise", "check", "earned", "points", "message"]].to_string(index=False))
    return 0


def _add_grading_commands(sub: Any) -> None:
    p = sub.add_parser(
        "grade",
        help="grade submitted notebooks in a sandbox and record the scores in a gradebook",
        description="Run each submitted notebook in its own kernel inside a bubblewrap sandbox (no network, "
        "nothing of yours visible, time and memory limits), then run the source lesson's checks, hidden ones "
        "included, on the answers it gave, and record points per check in the gradebook. Unchanged "
        "submissions are skipped; an interrupted batch resumes where it stopped.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  mopskit grade submissions/ --source notebooks/ --db gradebook.sqlite --feedback feedback/\n"
        "  mopskit grade submissions/ana/ --source notebooks/10_final_assessment.ipynb --force",
    )
    p.add_argument("submissions", nargs="+", metavar="SUBMISSIONS", help="notebooks, trainee folders, or a folder")
    p.add_argument("--source", required=True, metavar="NOTEBOOK_OR_DIR", help="the instructor lesson(s)")
    grade = "mopskit.assess:grade"
    p.add_argument(
        "--db", default=FunctionDefault(grade, "db"), help="SQLite file or SQLAlchemy URL (default: %(default)s)"
    )
    p.add_argument(
        "--workers",
        type=int,
        default=FunctionDefault(grade, "workers"),
        metavar="N",
        help="submissions graded at once, in threads of this process; one per core is the most that helps "
        "(default: %(default)s)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="grade on a Dask cluster (tcp://host:8786; needs mopskit[dask]); its workers need bubblewrap and the "
        "submissions and lessons at the same paths",
    )
    p.add_argument("--force", action="store_true", help="grade again even if a submission did not change")
    p.add_argument(
        "--unsandboxed", action="store_true", help="accept running trainee code WITHOUT a sandbox (not recommended)"
    )
    limits = "mopskit.assess:Limits"
    for flag, keyword, kind, unit, what in (
        ("--cell-timeout", "cell_timeout", float, "S", "seconds per cell"),
        ("--timeout", "timeout", float, "S", "seconds per notebook"),
        ("--memory", "memory_mb", int, "MB", "memory per process"),
        ("--check-timeout", "check_timeout", float, "S", "seconds per check"),
        ("--answer-mb", "answer_mb", float, "MB", "size one answer may have as JSON; a larger one counts as wrong"),
    ):
        default = FunctionDefault(limits, keyword)
        p.add_argument(flag, type=kind, default=default, metavar=unit, help=f"{what} (default: %(default)s)")
    p.add_argument("--feedback", metavar="DIR", help="write a feedback page per trainee and assignment there")
    p.add_argument("--variants", action="store_true", help="trainees got their own data (release --per-trainee)")
    p.add_argument("--roster", metavar="ROSTER.csv", help="record trainees' names and emails from a roster")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_grade)

    p = sub.add_parser(
        "grades",
        help="show, adjust or export the gradebook",
        description="Work with the gradebook: show scores, record a manual adjustment, export for a learning platform.",
    )
    grades_sub = p.add_subparsers(dest="grades_command", metavar="ACTION", required=True)
    g = grades_sub.add_parser("show", help="scores of the latest submissions (one trainee's checks with --trainee)")
    g.add_argument("--trainee", help="show this trainee's check results too")
    g.add_argument("--assignment", help="only this assignment")
    export = "mopskit.lms:export_grades"
    g = grades_sub.add_parser(
        "export",
        help="grades for a learning platform: Canvas or Moodle import CSV, plain CSV, or xAPI statements",
        description="The latest grade of every trainee on every assignment (adjustments included), in the shape a "
        "learning platform imports:\n"
        "  canvas  Canvas's gradebook CSV: Student, ID, SIS User ID (the trainee's id), SIS Login ID (email),\n"
        "          Section, a column per assignment and a 'Points Possible' row (Grades > Import)\n"
        "  moodle  Moodle's grade import CSV: names, ID number, email address, a grade and a 'Feedback for ...'\n"
        "          column per assignment (Grades > Import > CSV file; map users by --identifier)\n"
        "  csv     one row per trainee, one column per assignment (--long: a row per trainee and assignment)\n"
        "  xapi    xAPI statements (JSON): completed, scored, passed or failed per assignment, mastered per\n"
        "          competency; `mopskit grades send` sends them to a learning record store",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    g.add_argument(
        "--format",
        default=FunctionDefault(export, "fmt"),
        choices=["csv", "canvas", "moodle", "xapi"],
        help="file format (default: %(default)s)",
    )
    g.add_argument("--long", action="store_true", help="(csv) a row per trainee and assignment, with every figure")
    g.add_argument("--section", default=FunctionDefault(export, "section"), help="(canvas) the section on every row")
    g.add_argument(
        "--identifier",
        default=FunctionDefault(export, "identifier"),
        choices=["email", "idnumber", "username"],
        help="(moodle) what Moodle finds users by (default: %(default)s)",
    )
    g.add_argument(
        "--base", default=FunctionDefault(export, "base"), metavar="IRI", help="(xapi) activity ids start with IRI"
    )
    g.add_argument("--out", metavar="FILE", help="write to FILE (default: print)")
    send = "mopskit.lms:send_grades"
    g = grades_sub.add_parser(
        "send",
        help="send the grades and masteries to a learning record store as xAPI statements (safe to run again)",
        description="Send every trainee's latest grade on every assignment (completed, scored, passed or failed) and\n"
        "every competency mastered to an LRS, in batches, trying again after a passing failure. Each statement's\n"
        "id comes from what it states, so sending again stores nothing twice; a changed grade is a new statement.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n  MOPSKIT_LRS_AUTH=grader:secret mopskit grades send --lrs https://lrs.example.org/xapi/",
    )
    g.add_argument("--lrs", required=True, metavar="URL", help="the LRS's xAPI endpoint")
    g.add_argument(
        "--auth",
        default=FunctionDefault(send, "auth"),
        metavar="USER:PASSWORD",
        help="credentials (or an Authorization header value); default $MOPSKIT_LRS_AUTH, kept out of shell history",
    )
    g.add_argument("--base", default=FunctionDefault(send, "base"), metavar="IRI", help="activity ids start with IRI")
    g.add_argument("--as-of", default=FunctionDefault(send, "as_of"), metavar="DATE", help="judge mastery on DATE")
    g.add_argument(
        "--batch", type=int, default=FunctionDefault(send, "batch"), metavar="N", help="statements a request"
    )
    g.add_argument(
        "--retries", type=int, default=FunctionDefault(send, "retries"), metavar="N", help="tries again per request"
    )
    g.add_argument("--no-mastery", action="store_true", help="send grades only, no mastered statements")
    g.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    readiness = "mopskit.assess.readiness:write_readiness"
    g = grades_sub.add_parser(
        "readiness",
        help="a page per hire for their manager: ready for their role or not, each competency's level, what next",
    )
    g.add_argument(
        "--out", default=FunctionDefault(readiness, "out_dir"), metavar="DIR", help="folder (default: %(default)s)"
    )
    g.add_argument("--as-of", default=FunctionDefault(readiness, "as_of"), metavar="DATE", help="judge on this day")
    g.add_argument(
        "--source",
        default=FunctionDefault(readiness, "lessons"),
        metavar="DIR",
        help="the lessons (default: the kit's)",
    )
    g = grades_sub.add_parser("adjust", help="add or remove points by hand, with a reason and your name")
    g.add_argument("trainee", help="trainee id")
    g.add_argument("assignment", help="assignment id, e.g. 10_final_assessment")
    g.add_argument("points", type=float, help="points to add (negative to remove)")
    g.add_argument("--reason", required=True, help="why (kept in the gradebook)")
    g.add_argument("--author", required=True, help="who made the change")
    g.add_argument("--reviewed", action="store_true", help="the answers flagged 'needs review' were read")
    for action in grades_sub.choices.values():
        action.add_argument(
            "--db",
            default=FunctionDefault("mopskit.assess:Gradebook", "db"),
            help="SQLite file or SQLAlchemy URL (default: %(default)s)",
        )
    p.set_defaults(func=_cmd_grades)


_HUB_EPILOG = """examples:
  mopskit hub-config --users ana,bob,carla --admins lead
        the server's own accounts log in (PAM) on port 8000; then, as root: jupyterhub -f jupyterhub_config.py
  mopskit hub-config --users ana,bob --authenticator dummy --ip 127.0.0.1 --out /tmp/try_hub.py
        try it on this computer: any password is accepted (the accounts must exist all the same)
  mopskit hub-config --users ana,bob --landing app
        trainees open the lessons as apps, with no code, rather than JupyterLab

Each user needs an account on the server (sudo adduser ana). Their server runs under that account, in
~/mopskit-workspace (prepared at their first login, their work never overwritten, readable by them only):
JupyterLab at /user/<name>/lab and the lessons as apps at /user/<name>/voila/render/mopskit_home.ipynb.
The hub needs JupyterHub (pip install 'mopskit[hub]') and configurable-http-proxy
(npm install -g configurable-http-proxy). The instructor's folder (--instructor-dir) is made root's only."""

_COLLECT_EPILOG = """examples:
  sudo mopskit collect /srv/mopskit/submissions              every account that has a workspace
  sudo mopskit collect /srv/mopskit/submissions --hub-users ana bob --lessons "10_*"
  sudo mopskit grade /srv/mopskit/submissions --source notebooks/ --db /srv/mopskit/gradebook.sqlite

Each user's lessons go to OUT_DIR/<user>/<lesson>.ipynb, carrying the answers their widgets saved (also kept in
OUT_DIR/<user>/.mopskit/), which is what `mopskit grade` reads. Links, other accounts' files and oversized files
in a workspace are skipped and listed."""


def _cmd_hub_config(args: argparse.Namespace) -> int:
    from .hub import write_hub_config

    written = write_hub_config(
        users=args.users,
        admins=args.admins,
        create_users=args.create_users,
        force=args.force,
        **_given(
            args,
            out="out",
            authenticator="authenticator",
            workspace="workspace",
            instructor_dir="instructor_dir",
            ip="ip",
            port="port",
            hub_port="hub_port",
            proxy_api_port="proxy_api_port",
            python="python",
            landing="landing",
            roster="roster",
        ),
    )
    print(written)
    return 0


def _cmd_collect(args: argparse.Namespace) -> int:
    from .hub import collect

    result = collect(
        args.out_dir,
        users=args.hub_users or None,
        **_given(args, workspace="workspace", lessons="lessons"),
    )
    print(result)
    return 0


def _add_hub_commands(sub: Any) -> None:
    config = "mopskit.hub:write_hub_config"
    p = sub.add_parser(
        "hub-config",
        help="write a jupyterhub_config.py: the lessons for a cohort on one server, a private workspace each",
        description="Write a JupyterHub config for a cohort on this Linux server: each user logs in with their\n"
        "own account, gets their own server and workspace (prepared at spawn, private to them), with JupyterLab\n"
        "and the lessons as apps (Voilà); the instructor's folder stays readable by root only.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_HUB_EPILOG,
    )
    p.add_argument(
        "--users", action="append", default=[], metavar="NAMES", help="trainees' account names: ana,bob (repeatable)"
    )
    p.add_argument(
        "--admins", action="append", default=[], metavar="NAMES", help="instructors' account names (admins of the hub)"
    )
    p.add_argument(
        "--out", default=FunctionDefault(config, "out"), metavar="FILE", help="the file to write (default: %(default)s)"
    )
    p.add_argument(
        "--authenticator",
        default=FunctionDefault(config, "authenticator"),
        metavar="NAME",
        help="pam (the server's accounts), dummy (any password; this computer only) or another JupyterHub "
        "authenticator (default: %(default)s)",
    )
    p.add_argument(
        "--workspace",
        default=FunctionDefault(config, "workspace"),
        metavar="DIR",
        help="each user's workspace, a folder in their home (default: %(default)s)",
    )
    p.add_argument(
        "--instructor-dir",
        default=FunctionDefault(config, "instructor_dir"),
        metavar="DIR",
        help="gradebook, submissions and the hub's files, root's only (default: %(default)s)",
    )
    p.add_argument(
        "--ip", default=FunctionDefault(config, "ip"), help="address to listen on (default: all of the server's)"
    )
    p.add_argument(
        "--port", type=int, default=FunctionDefault(config, "port"), help="port to listen on (default: %(default)s)"
    )
    for flag, keyword, what in (
        ("--hub-port", "hub_port", "the hub's own API"),
        ("--proxy-api-port", "proxy_api_port", "the proxy's API"),
    ):
        p.add_argument(
            flag,
            type=int,
            default=FunctionDefault(config, keyword),
            metavar="PORT",
            help=f"port of {what}, on 127.0.0.1 (default: %(default)s)",
        )
    p.add_argument(
        "--python",
        default=FunctionDefault(config, "python"),
        metavar="PATH",
        help="the Python, with the kit installed, that runs each user's server (default: this one)",
    )
    p.add_argument(
        "--landing",
        choices=["lab", "app"],
        default=FunctionDefault(config, "landing"),
        help="what users see first: JupyterLab, or the lessons as apps (default: %(default)s)",
    )
    p.add_argument(
        "--roster",
        default=FunctionDefault(config, "roster"),
        metavar="HIRES.csv",
        help="a roster of hires (name, email, role, start date): each gets their role's path; its ids are the users "
        "when --users is left out",
    )
    p.add_argument(
        "--create-users", action="store_true", help="with pam: create the account of a user added from /hub/admin"
    )
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    p.set_defaults(func=_cmd_hub_config)

    gather = "mopskit.hub:collect"
    p = sub.add_parser(
        "collect",
        help="gather the hub users' lessons and answers into a folder for mopskit grade",
        description="Copy each hub user's lessons, with the answers their widgets saved, to OUT_DIR/<user>/ (run\n"
        "as root on the hub's server). Then grade them with: mopskit grade OUT_DIR --source notebooks/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_COLLECT_EPILOG,
    )
    p.add_argument("out_dir", metavar="OUT_DIR", help="where the submissions go (a folder per user)")
    p.add_argument(
        "--hub-users", nargs="+", metavar="NAME", help="these accounts only (default: every account with a workspace)"
    )
    p.add_argument(
        "--workspace",
        default=FunctionDefault(gather, "workspace"),
        metavar="DIR",
        help="the workspace in each home, as in the hub's config (default: %(default)s)",
    )
    p.add_argument(
        "--lessons",
        default=FunctionDefault(gather, "lessons"),
        metavar="PATTERN",
        help='which lessons, e.g. "10_*" (default: %(default)s)',
    )
    p.set_defaults(func=_cmd_collect)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``mopskit`` command; returns the exit code (0 ok, 1 a mopskit error, 2 a usage error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except MopskitError as exc:
        print(f"mopskit: {exc}", file=sys.stderr)
        return 1
