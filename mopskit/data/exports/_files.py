"""Finding the data files in an exports folder and opening each one for DuckDB, whatever its encoding.

CSV files are read the way the kit's reader reads them (``data._read``): the encoding is guessed (UTF-8 with
or without a byte-order mark, UTF-16, else Windows-1252 as Excel writes it), the separator is sniffed from
the first lines, and the header is read by Python's csv module. DuckDB then scans the file with exactly that
dialect and those columns (its own sniffer is switched off: it can silently drop rows of an odd file), so a
ragged row is an error naming its line. Files that are not UTF-8 are re-encoded once, in a stream, into the
work folder, so memory stays flat however large they are. Zip archives (a Mailchimp audience export arrives
as one) are unpacked there too.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..._textfile import encoding_of, sniff_separator
from ...errors import DataError

__all__ = ["DATA_SUFFIXES", "Source", "find_files", "open_source"]

# what a data file may end with; anything else in the folder is listed as skipped
DATA_SUFFIXES = (
    ".csv",
    ".tsv",
    ".csv.gz",
    ".parquet",
    ".json",
    ".jsonl",
    ".ndjson",
    ".json.gz",
    ".jsonl.gz",
    ".ndjson.gz",
)
_HEAD_BYTES = 1 << 16
_CHUNK = 1 << 20


@dataclass
class Source:
    """One data file, ready for DuckDB.

    Attributes:
        path: the file as found (for messages and evidence).
        label: how messages and evidence name it: its path relative to the exports folder.
        format: ``csv``, ``parquet`` or ``json`` (newline-delimited JSON).
        headers: the column names as the file writes them (top-level keys for JSON).
        scan_path: the file DuckDB reads (a UTF-8 copy for CSV files in another encoding).
        encoding: the encoding the file was written in (CSV only).
        separator: the column separator (CSV only).
        notes: how it was read, for the import summary (encoding, separator).

    """

    path: Path
    label: str
    format: str
    headers: list[str]
    scan_path: Path
    encoding: str | None = None
    separator: str | None = None
    notes: list[str] = field(default_factory=list)

    def scan(self, columns: dict[str, str] | None = None) -> str:
        """The SQL that reads the file with a ``_row`` column: its row number as a spreadsheet shows it.

        For CSV the header is row 1, so the first record is row 2 (a value with a line break inside quotes
        is still one row); for JSON lines the first line is row 1; for Parquet the first record is row 1.

        Args:
            columns: for JSON, the DuckDB type of each top-level key to read (others are ignored).

        """
        path = _literal(str(self.scan_path))
        if self.format == "csv":
            names = ", ".join(f"{_literal(h)}: 'VARCHAR'" for h in self.headers)
            compression = (
                ", compression='gzip'"
                if self.path.name.lower().endswith(".gz")
                and self.encoding
                in (
                    None,
                    "utf-8",
                )
                else ""
            )
            delim = _literal(self.separator or ",")
            return (
                f"(SELECT row_number() OVER () + 1 AS _row, * FROM read_csv({path}, delim={delim}, quote='\"', "
                f"escape='\"', header=true, auto_detect=false, columns={{{names}}}{compression}))"
            )
        if self.format == "parquet":
            return (
                "(SELECT file_row_number + 1 AS _row, * EXCLUDE (file_row_number) "
                f"FROM read_parquet({path}, file_row_number=true))"
            )
        spec = ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in (columns or {}).items())
        typed = f", columns={{{spec}}}" if spec else ""
        return f"(SELECT row_number() OVER () AS _row, * FROM read_json({path}, format='newline_delimited'{typed}))"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in sorted(DATA_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def find_files(folder: Path, work: Path) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """The data files under ``folder`` (zip archives unpacked into ``work``), and the files skipped.

    Returns:
        ``(path, label)`` of each data file, sorted by label, and ``(label, reason)`` of each file skipped.

    """
    if not folder.is_dir():
        raise DataError(
            f"{folder}: no such folder (working folder: {Path.cwd()}); give the folder that holds the exports",
            problems=["no such folder"],
            source=str(folder),
        )
    found: list[tuple[Path, str]] = []
    skipped: list[tuple[str, str]] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        label = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        suffix = _suffix(path)
        if suffix in DATA_SUFFIXES:
            found.append((path, label))
        elif suffix == ".zip":
            found += _unzip(path, label, work, skipped)
        elif suffix in (".xlsx", ".xls"):
            skipped.append((label, "an Excel workbook: save each sheet as 'CSV UTF-8' to have it read"))
        else:
            skipped.append((label, "not a data file (.csv, .parquet, .json lines or .zip)"))
    return found, skipped


def _unzip(path: Path, label: str, work: Path, skipped: list[tuple[str, str]]) -> list[tuple[Path, str]]:
    target = work / "unzipped" / label.replace("/", "__")
    found = []
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                inner = Path(member.filename)
                if member.is_dir() or inner.name.startswith((".", "__MACOSX")) or "__MACOSX" in inner.parts:
                    continue
                name = f"{label}/{inner.as_posix()}"
                if _suffix(inner) not in DATA_SUFFIXES:
                    skipped.append((name, "not a data file (.csv, .parquet, .json lines)"))
                    continue
                out = target / inner.name
                out.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as src, out.open("wb") as dst:
                    shutil.copyfileobj(src, dst, _CHUNK)
                found.append((out, name))
    except zipfile.BadZipFile:
        skipped.append((label, "a damaged zip archive: download the export again"))
    return found


def _open(path: Path) -> io.BufferedIOBase:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


def _encoding_of(head: bytes, label: str) -> str:
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise DataError(
            f"{label}: this is an Excel workbook, not a CSV file; in Excel use File > Save As > "
            "'CSV UTF-8 (Comma delimited)' and put the .csv in the folder",
            problems=["file is an Excel workbook"],
            source=label,
        )
    found = encoding_of(head, sample=True)  # the kit's one guess (mopskit._textfile)
    return "utf-8" if found == "utf-8-sig" else found or "cp1252"


def _transcode(path: Path, encoding: str, out: Path) -> None:
    """Write a UTF-8 copy of a text file, a chunk at a time."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    out.parent.mkdir(parents=True, exist_ok=True)
    with _open(path) as src, out.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(_CHUNK):
            dst.write(decoder.decode(chunk))
        dst.write(decoder.decode(b"", final=True))


def _csv_source(path: Path, label: str, work: Path) -> Source:
    with _open(path) as handle:
        head = handle.read(_HEAD_BYTES)
    if not head.strip():
        raise DataError(
            f"{label}: the file is empty; export it again with its header row",
            problems=["file is empty"],
            source=label,
        )
    encoding = _encoding_of(head, label)
    notes = []
    scan_path = path
    if encoding != "utf-8":
        scan_path = work / "utf8" / (label.replace("/", "__") + ".csv")
        try:
            _transcode(path, encoding, scan_path)
        except UnicodeDecodeError as exc:
            raise DataError(
                f"{label}: the file is neither UTF-8 nor {encoding} text (byte {exc.start} of a chunk cannot be "
                "read); save it again as 'CSV UTF-8'",
                problems=["unknown text encoding"],
                source=label,
            ) from None
        notes.append(
            "written in Windows-1252 (as Excel saves CSV files); read as such"
            if encoding == "cp1252"
            else "written in UTF-16; read as such"
        )
    text = head.decode(encoding, errors="ignore") if encoding != "utf-16" else head.decode("utf-16", errors="ignore")
    text = text.lstrip("\ufeff")
    if head.startswith(codecs.BOM_UTF8):
        notes.append("starts with a byte-order mark (as Excel's 'CSV UTF-8' writes it)")
    separator = sniff_separator(text)
    if separator != ",":
        notes.append(f"columns separated by '{separator}'" if separator != "\t" else "columns separated by tabs")
    header = next(csv.reader(io.StringIO(text), delimiter=separator), [])
    if not [h for h in header if h.strip()]:
        raise DataError(
            f"{label}: the first line holds no column names; export the file again with its header row",
            problems=["no header"],
            source=label,
        )
    return Source(path, label, "csv", _unique(header), scan_path, encoding, separator, notes)


def _unique(headers: list[str]) -> list[str]:
    """Column names as DuckDB needs them: stripped, none empty, none twice."""
    seen: dict[str, int] = {}
    out = []
    for number, header in enumerate(headers, 1):
        name = header.strip() or f"column{number}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


def _json_source(path: Path, label: str) -> Source:
    with _open(path) as handle:
        first = b""
        for raw in handle:
            if raw.strip():
                first = raw
                break
    if not first:
        return Source(path, label, "json", [], path, notes=["no records"])
    try:
        record = json.loads(first)
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{label}: line 1 is not JSON ({exc.msg}); export the table as newline-delimited JSON "
            "(one record per line)",
            problems=[exc.msg],
            source=label,
        ) from None
    if not isinstance(record, dict):
        raise DataError(
            f"{label}: line 1 is not a JSON object; export the table as newline-delimited JSON (one object per line)",
            problems=["not an object"],
            source=label,
        )
    return Source(path, label, "json", list(record), path)


def _parquet_source(path: Path, label: str) -> Source:
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(path).names
    except Exception as exc:  # pyarrow's errors: a file that is not Parquet
        raise DataError(
            f"{label}: cannot be read as Parquet ({str(exc).splitlines()[0]})", problems=[str(exc)], source=label
        ) from None
    return Source(path, label, "parquet", list(names), path)


def open_source(path: Path, label: str, work: Path) -> Source:
    """Open one data file: its format, encoding, separator and headers.

    Raises:
        DataError: an empty file, an Excel workbook, a file in an unknown encoding, a JSON file that is not
            one object per line, a damaged Parquet file.

    """
    suffix = _suffix(path)
    if path.stat().st_size == 0:
        raise DataError(f"{label}: the file is empty; export it again", problems=["file is empty"], source=label)
    if suffix == ".parquet":
        return _parquet_source(path, label)
    if suffix.startswith((".json", ".jsonl", ".ndjson")):
        return _json_source(path, label)
    return _csv_source(path, label, work)
