"""Reading a folder of exports into the kit's tables in DuckDB, with a note of what was read and what was not."""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..._validate import checked
from ...errors import DataError
from .._schema import normalize_name, table_spec
from ._files import Source, _open, find_files, open_source
from ._layout import Layout, Match, email_key_sql, literal, parse_sql, quoted
from ._mapping import EXAMPLE, MappedFile, check_headers, load_mapping
from ._tables import TABLES, create_sql, table_columns
from .vendors import LAYOUTS, event_type_sql, stage_sql

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["INVENTORY", "ImportedFile", "Imports", "import_exports", "read_export", "recognise"]

INVENTORY = "stack inventory (the kit's martech_stack table)"
_PARSED = ("timestamp", "epoch_s", "epoch_ms", "epoch_us", "bool", "json")
_DATE_LIKE = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.]\d{4}")


@dataclass
class ImportedFile:
    """What the importer made of one file.

    Attributes:
        label: the file, relative to the exports folder.
        layout: the layout's key (``hubspot_contacts``, ...; ``mapped:<pattern>`` for a mapped file).
        title: what the export is, in words.
        system: the system its rows are credited to.
        table: the kit table it filled.
        rows: rows read.
        read: each kit column read, with the file's header that held it.
        ignored: the file's headers that were not read.
        notes: how it was read and what to know (encoding, rows not counted, custom stages, unreadable values).

    """

    label: str
    layout: str
    title: str
    system: str
    table: str
    rows: int
    read: dict[str, str]
    ignored: list[str]
    notes: list[str] = field(default_factory=list)

    def as_row(self) -> dict[str, Any]:
        """The file as one row of a table: file, export, system, table, rows, columns read and ignored, notes."""
        return {
            "file": self.label,
            "export": self.title,
            "system": self.system,
            "table": self.table,
            "rows": self.rows,
            "columns read": ", ".join(f"{c} <- {h}" for c, h in self.read.items()),
            "columns ignored": ", ".join(self.ignored),
            "notes": " ".join(self.notes),
        }

    def describe(self) -> str:
        """The file in one paragraph: what it is, what was read, what was ignored."""
        read = ", ".join(f"{column} <- {header}" for column, header in self.read.items())
        lines = [f"{self.label}: {self.title} -> {self.table}, {self.rows:,} rows", f"  read: {read}"]
        if self.ignored:
            more = len(self.ignored) - 12
            shown = ", ".join(self.ignored[:12]) + (f" and {more} more" if more > 0 else "")
            lines.append(f"  ignored columns: {shown}")
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)


@dataclass
class Imports:
    """A folder of exports, read into the kit's tables.

    Attributes:
        connection: the DuckDB connection holding the tables ``contacts``, ``email_events``,
            ``campaign_members`` and ``web_events``.
        folder: the exports folder.
        files: one :class:`ImportedFile` per file read.
        skipped: files that are not data files, each with the reason.
        inventories: stack inventories found (path, label); read with :func:`mopskit.stack.load_inventory`.
        notes: remarks on the folder as a whole (a mapping entry that matched no file).

    """

    connection: Any
    folder: Path
    files: list[ImportedFile]
    skipped: list[tuple[str, str]]
    inventories: list[tuple[Path, str]]
    notes: list[str] = field(default_factory=list)

    def rows(self, table: str) -> int:
        """How many rows a table holds."""
        return int(self.connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])

    def frame(self, table: str) -> pd.DataFrame:
        """A whole table as a DataFrame (for small folders: lessons and tests)."""
        return self.connection.execute(f'SELECT * FROM "{table}" ORDER BY file, row').df()

    def summary(self) -> pd.DataFrame:
        """One row per file (see :meth:`ImportedFile.as_row`), and one per stack inventory."""
        import pandas as pd

        rows = [f.as_row() for f in self.files]
        rows += [
            {"file": label, "export": INVENTORY, "system": "", "table": "martech_stack", "rows": None}
            for _path, label in self.inventories
        ]
        return pd.DataFrame(rows)

    def describe(self) -> str:
        """Every file, what was read and what was not, as text."""
        parts = [f.describe() for f in self.files]
        parts += [f"{label}: {INVENTORY}" for _p, label in self.inventories]
        parts += [f"{label}: skipped ({why})" for label, why in self.skipped]
        return "\n".join(parts)


def _create_tables(con: Any, files: Sequence[str], systems: Sequence[str]) -> None:
    """Create the import tables; ``file`` and ``system`` are ENUMs of this folder's files and systems.

    An ENUM keeps each row's file and system in a byte or two instead of a copy of the text, which counts with
    ten million events; the columns still compare with, and are written as, text.
    """
    con.execute("DROP TYPE IF EXISTS export_file")
    con.execute("DROP TYPE IF EXISTS export_system")
    for name, values in (("export_file", files), ("export_system", systems)):
        labels = ", ".join(literal(v) for v in sorted(set(values))) or literal("(none)")
        con.execute(f"CREATE TYPE {name} AS ENUM ({labels})")
    for table in TABLES:
        con.execute(create_sql(table, {"file": "export_file", "system": "export_system"}))


@checked
def recognise(headers: Sequence[str], *, formats: str | None = None) -> Layout | None:
    """The layout a file with these headers is, or None: the one that matches with the most columns.

    >>> recognise(["marketoGUID", "leadId", "activityDate", "activityTypeId", "attributes"]).key
    'marketo_activities'
    >>> recognise(["Name", "Mail"]) is None
    True
    """
    best: tuple[int, Layout] | None = None
    for candidate in LAYOUTS:
        if formats is not None and formats not in candidate.formats:
            continue
        match = candidate.match(list(headers))
        if match.ok and (best is None or len(match.found) > best[0]):
            best = (len(match.found), candidate)
    return best[1] if best else None


def _is_inventory(headers: Sequence[str]) -> bool:
    aliases = table_spec("martech_stack").aliases
    columns = {aliases.get(normalize_name(h)) for h in headers}
    return {"tool", "category", "annual_cost"} <= columns


def _closest(headers: Sequence[str]) -> list[str]:
    scored = []
    for candidate in LAYOUTS:
        match = candidate.match(list(headers))
        wanted = len(candidate.required) + (1 if candidate.any_of else 0)
        have = len(candidate.required) - len(match.missing) + (1 if match.identified and candidate.any_of else 0)
        if have:
            missing = list(match.missing)
            if not match.identified:
                missing.append("one of " + ", ".join(candidate.field(c).headers[0] for c in candidate.any_of))
            scored.append((have / wanted, f"{candidate.title}: missing {', '.join(missing)}"))
    return [text for _s, text in sorted(scored, key=lambda x: -x[0])[:3]]


def _unknown_error(unknown: list[tuple[str, list[str]]], recognised: list[str]) -> DataError:
    known = ", ".join([*(x.title for x in LAYOUTS), INVENTORY])
    lines = []
    for label, headers in unknown:
        lines.append(f"{label}: not an export the kit recognises. Its columns: {', '.join(headers[:25])}")
        lines += [f"    closest: {c}" for c in _closest(headers)]
    lines.append("Recognised in this folder: " + (", ".join(recognised) if recognised else "nothing yet"))
    lines.append(f"The kit recognises: {known}.")
    lines.append(
        "To read such a file, describe its columns in a mapping file and pass it with --map columns.yaml "
        "(mopskit.data.exports.import_exports(..., mapping=...)), for example:\n"
        + EXAMPLE.format(name=unknown[0][0])
        + "\nor move the file out of the folder."
    )
    return DataError(
        "\n".join(lines),
        problems=[f"{label}: layout not recognised" for label, _h in unknown],
        source=unknown[0][0],
    )


def _mapped(entries: Sequence[MappedFile], label: str) -> MappedFile | None:
    return next((e for e in entries if e.matches(label)), None)


@checked
def import_exports(
    folder: str | Path,
    *,
    connection: Any = None,
    work_dir: str | Path | None = None,
    mapping: str | Path | Sequence[MappedFile] | None = None,
    progress: bool = False,
) -> Imports:
    """Find every export in a folder, recognise each by its headers, and read it into the kit's tables.

    Args:
        folder: the exports folder (sub-folders and zip archives included).
        connection: a DuckDB connection to create the tables in (default: a new one in memory, with the
            kit's memory and thread limits); it must not hold them already.
        work_dir: where zip archives are unpacked and non-UTF-8 files re-encoded (default: a temporary
            folder, removed once the files are read).
        mapping: a mapping file (``columns.yaml``) or its entries, for exports the kit does not recognise.
        progress: show a progress bar over the files.

    Returns:
        The :class:`Imports`, with the tables filled and a note per file.

    Raises:
        DataError: a file cannot be read (named, with its row), or some files are not recognised (every one
            listed with its columns, the closest known export and how to map it).

    """
    folder = Path(folder)
    from .._duckdb import connect

    con = connection if connection is not None else connect()
    entries = load_mapping(mapping) if isinstance(mapping, str | Path) else list(mapping or [])
    holder = None
    if work_dir is None:
        holder = tempfile.TemporaryDirectory(prefix="mopskit-imports-")
        work = Path(holder.name)
    else:
        work = Path(work_dir)
        work.mkdir(parents=True, exist_ok=True)
    try:
        found, skipped = find_files(folder, work)
        plan: list[tuple[Source, Layout, MappedFile | None]] = []
        inventories: list[tuple[Path, str]] = []
        unknown: list[tuple[str, list[str]]] = []
        recognised: list[str] = []
        for path, label in found:
            source = open_source(path, label, work)
            entry = _mapped(entries, label)
            if entry is not None:
                check_headers(entry, source.headers, label)
                plan.append((source, entry.layout(label), entry))
                recognised.append(f"{label} (mapped)")
                continue
            chosen = recognise(source.headers, formats=source.format)
            if chosen is not None:
                plan.append((source, chosen, None))
                recognised.append(f"{label} ({chosen.title})")
            elif source.format == "csv" and _is_inventory(source.headers):
                inventories.append((path, label))
                recognised.append(f"{label} (stack inventory)")
            else:
                unknown.append((label, source.headers))
        if unknown:
            raise _unknown_error(unknown, recognised)
        if not plan and not inventories:
            skipped_text = "; ".join(f"{label} ({why})" for label, why in skipped) or "nothing"
            raise DataError(
                f"{folder}: no exports in the folder (found: {skipped_text}); put the CSV, Parquet, JSON lines or "
                "zip files your systems export there (see mopskit health --formats)",
                problems=["no exports"],
                source=str(folder),
            )
        _create_tables(con, [s.label for s, _l, _e in plan], [layout.vendor for _s, layout, _e in plan])
        unused = [e.pattern for e in entries if not any(e.matches(label) for _p, label in found)]
        files = [_import_one(con, source, chosen) for source, chosen, _entry in _progress(plan, progress)]
        notes = [f"mapping entry '{pattern}' matched no file in the folder" for pattern in unused]
    finally:
        if holder is not None:
            holder.cleanup()
    return Imports(con, folder, files, skipped, inventories, notes)


def _progress(items: list[Any], enabled: bool) -> Iterable[Any]:
    if not enabled or not items:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc="reading exports", unit="file")


def _day_first(source: Source, headers: list[str]) -> bool | None:
    """Whether d/m/Y dates in these columns put the day first (True), the month (False), or cannot tell (None)."""
    if source.format != "csv" or not headers:
        return None
    firsts, seconds = [], []
    with _open(source.scan_path) as handle:
        head = handle.read(1 << 16).decode("utf-8", errors="ignore").lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(head), fieldnames=source.headers, delimiter=source.separator or ",")
    next(reader, None)
    for record in reader:
        for header in headers:
            match = _DATE_LIKE.match(str(record.get(header) or ""))
            if match:
                firsts.append(int(match.group(1)))
                seconds.append(int(match.group(2)))
    if any(v > 12 for v in firsts):
        return True
    if any(v > 12 for v in seconds):
        return False
    return None if firsts else False


def _inner(source: Source, layout: Layout, found: Mapping[str, str]) -> str:
    nulls = ", ".join(literal(w) for w in layout.null_words)
    parts = ["_row"]
    for column, header in found.items():
        kind = layout.field(column).kind
        if kind == "nested":
            parts.append(f"{quoted(header)} AS r_{column}")
            continue
        text = f"CAST({quoted(header)} AS VARCHAR)"
        # labels and keys are trimmed here; values that are parsed trim only when the first reading fails, and
        # addresses are compared without spaces anyway (trimming ten million cells costs a quarter of the read)
        text = f"nullif(trim({text}), '')" if kind == "text" else f"nullif({text}, '')"
        if nulls:  # written exactly so by the vendor ('null'): compared as is, which is cheap
            text = f"CASE WHEN CAST({quoted(header)} AS VARCHAR) IN ({nulls}) THEN NULL ELSE {text} END"
        parts.append(f"{text} AS r_{column}")
    columns = {h: layout.json_columns[h] for h in layout.json_columns if h in found.values()} or None
    return f"SELECT {', '.join(parts)} FROM {source.scan(columns)}"


def _select(layout: Layout, found: Mapping[str, str], *, day_first: bool, name: str) -> tuple[list[str], str]:
    """The outer SELECT list filling the layout's table, and the middle SELECT list parsing the raw values.

    ``name`` is the file's name, for the layout's values that the name decides (``Layout.file_values``).
    """
    parsed = [f"{parse_sql(layout.field(c).kind, f'r_{c}', day_first=day_first)} AS v_{c}" for c in found]
    derived = layout.derived(found) if layout.derived else {}
    exprs: dict[str, str] = {}
    for column in table_columns(layout.table):
        if column in derived:
            exprs[column] = derived[column]
        elif column in found:
            exprs[column] = f"v_{column}"
    for pattern, column, value in layout.file_values:
        if re.search(pattern, name.lower()):
            exprs[column] = literal(value)
    key = email_key_sql(exprs.get("email", "r_email")) if "email" in exprs or "email" in found else "NULL"
    if layout.table == "email_events":  # who the event is about, compared across systems by address
        record = exprs.get("contact_id", "NULL")
        exprs["person"] = (
            f"CASE WHEN {record} IS NOT NULL THEN {literal(layout.vendor + ':')} || {record} ELSE {key} END"
        )
        if "email" in exprs:  # the address as written is kept only where it says more than the person
            exprs["email"] = (
                f"CASE WHEN ({exprs['email']}) IS DISTINCT FROM ({exprs['person']}) THEN {exprs['email']} END"
            )
    elif key != "NULL":
        exprs["email_key"] = key
    if "lifecycle_stage" in found:
        exprs.setdefault("stage_label", "r_lifecycle_stage")
        if "lifecycle_stage" not in derived:
            exprs["lifecycle_stage"] = stage_sql("r_lifecycle_stage")
    if layout.table == "email_events":
        if "event_type" in found and "event_type" not in derived:
            exprs["event_type"] = event_type_sql("r_event_type")
        raw_type = "r_event_type" if "event_type" in found else "r_vendor_type"
        if "vendor_type" not in exprs or exprs["vendor_type"] == "v_vendor_type":
            exprs["vendor_type"] = raw_type
        # the type as written is kept only where it is not one the kit counts (for the import note)
        exprs["vendor_type"] = f"CASE WHEN ({exprs['event_type']}) IS NULL THEN {exprs['vendor_type']} END"
    bad = [
        f"CASE WHEN r_{c} IS NOT NULL AND v_{c} IS NULL AND trim(CAST(r_{c} AS VARCHAR)) <> '' "
        f"THEN {literal(found[c] + ': ')} "
        f"|| left(CAST(r_{c} AS VARCHAR), 60) END"
        for c in found
        if layout.field(c).kind in _PARSED
    ]
    bad += [expr for name, expr in derived.items() if name.startswith("bad_")]
    exprs["bad"] = f"nullif(concat_ws('; ', {', '.join(bad)}), '')" if bad else "NULL"
    return parsed, ", ".join(f"{expr} AS {quoted(column)}" for column, expr in exprs.items())


def _read_error(exc: Exception, label: str) -> DataError:
    text = str(exc)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    where = re.search(r"CSV Error on Line: (\d+)", text)
    message = f"{label}: cannot be read"
    if where:
        detail = next((line for line in lines if "Expected Number of Columns" in line), "")
        original = next((line for line in lines if line.startswith("Original Line")), "")
        message += f" (line {where.group(1)}: {'; '.join(x for x in (detail, original) if x)})"
        message += ". A value probably contains the separator: put it in double quotes, or export the file again"
    else:
        message += f" ({lines[0] if lines else type(exc).__name__}); export the file again"
    return DataError(message, problems=[text], source=label)


def _import_one(con: Any, source: Source, layout: Layout) -> ImportedFile:
    import duckdb

    match: Match = layout.match(source.headers)
    found = match.found
    timestamp_headers = [found[c] for c in found if layout.field(c).kind in ("timestamp", "epoch_ms", "epoch_s")]
    order = _day_first(source, timestamp_headers)
    scope = ""
    if layout.scope_pattern:
        hit = re.search(layout.scope_pattern, Path(source.label).name.lower())
        scope = hit.group(1) if hit else ""
    parsed, outer = _select(layout, found, day_first=bool(order), name=Path(source.label).name)
    middle = f"SELECT *, {', '.join(parsed)} FROM ({_inner(source, layout, found)})"
    sql = (
        f'INSERT INTO "{layout.table}" BY NAME SELECT {literal(layout.vendor)} AS system, {literal(scope)} AS scope, '
        f"{literal(source.label)} AS file, _row AS row, {outer} FROM ({middle})"
    )
    try:
        rows = int(con.execute(sql).fetchone()[0])
    except duckdb.Error as exc:
        raise _read_error(exc, source.label) from None
    used = set(found.values())
    notes = list(source.notes)
    if order is True:
        notes.append("dates written day first (31/10/2026)")
    if rows == 0:
        notes.append("the file has no rows")
    notes += _after_notes(con, layout, source.label, rows)
    read = {c: h for c, h in found.items()}
    return ImportedFile(
        label=source.label,
        layout=layout.key,
        title=layout.title,
        system=layout.vendor,
        table=layout.table,
        rows=rows,
        read=read,
        ignored=[h for h in source.headers if h not in used],
        notes=notes,
    )


def _after_notes(con: Any, layout: Layout, label: str, rows: int) -> list[str]:
    """What the rows say once read: rows not counted, custom stages, values that could not be read."""
    if not rows:
        return []
    notes = []
    where = f'FROM "{layout.table}" WHERE file = {literal(label)}'
    if layout.table == "email_events":
        other = con.execute(
            f"SELECT vendor_type, count(*) AS n {where} AND event_type IS NULL GROUP BY 1 ORDER BY n DESC, 1"
        ).fetchall()
        if other:
            total = sum(n for _t, n in other)
            listed = ", ".join(f"{t or '(empty)'} {n:,}" for t, n in other[:8])
            notes.append(f"{total:,} rows are events the email metrics do not count ({listed})")
    if layout.table == "contacts":
        custom = con.execute(
            f"SELECT lifecycle_stage, count(*) AS n {where} AND lifecycle_stage IS NOT NULL AND lifecycle_stage NOT IN "
            f"({', '.join(literal(s) for s in _known_stages())}) GROUP BY 1 ORDER BY n DESC, 1"
        ).fetchall()
        if custom:
            listed = ", ".join(f"'{s}' ({n:,})" for s, n in custom[:8])
            notes.append(f"custom lifecycle stages, kept as written: {listed}")
    bad = con.execute(f"SELECT count(*) {where} AND bad IS NOT NULL").fetchone()[0]
    if bad:
        notes.append(f"{bad:,} rows hold values that could not be read (listed in the data-quality findings)")
    return notes


def _known_stages() -> list[str]:
    from .vendors import STAGES

    return list(STAGES)


@checked
def read_export(path: str | Path, *, mapping: str | Path | Sequence[MappedFile] | None = None) -> pd.DataFrame:
    """Read one export file into its kit table, as a DataFrame (``attrs["import"]`` holds the import note).

    Args:
        path: a vendor export (CSV, Parquet, JSON lines; see :data:`mopskit.data.exports.LAYOUTS`).
        mapping: a mapping file for a file the kit does not recognise.

    Raises:
        DataError: the file cannot be read or is not recognised.

    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file (working folder: {Path.cwd()})", source=str(path))
    with tempfile.TemporaryDirectory(prefix="mopskit-export-") as tmp:
        single = Path(tmp) / "in"
        single.mkdir()
        try:
            (single / path.name).symlink_to(path.resolve())
        except OSError:  # no symbolic links here (some Windows setups): a copy will do
            shutil.copy(path, single / path.name)
        imports = import_exports(single, work_dir=Path(tmp) / "work", mapping=mapping)
        if not imports.files:
            raise DataError(
                f"{path.name}: a stack inventory; read it with mopskit.stack.load_inventory", source=path.name
            )
        item = imports.files[0]
        frame = imports.frame(item.table)
    frame.attrs["import"] = item
    return frame
