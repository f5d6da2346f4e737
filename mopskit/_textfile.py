"""Reading the text files people hand the kit, one way: CSV exports, rosters, batch files, small JSON files.

Files come from spreadsheets as often as from programs, so a reader must cope with what Excel writes: a byte
order mark, UTF-16, the Windows code page (cp1252) and ``;`` or tab separators. Every reader of the kit
(``mopskit.data.read``, batch files, rosters, DuckDB scans) decodes and sniffs through this module, so a file
that one of them reads, the others read the same way.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from .errors import DataError

__all__ = [
    "SEPARATORS",
    "csv_rows",
    "decode",
    "encoding_of",
    "listed",
    "parse_yaml",
    "read_json_dict",
    "read_text",
    "sniff_separator",
]

SEPARATORS = (",", ";", "\t", "|")
MAX_LISTED = 40  # problems listed in one message; the rest are counted
_WORKBOOK = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # xlsx (a zip) and the old xls


def encoding_of(raw: bytes, *, sample: bool = False) -> str | None:
    r"""Guess the encoding of a file's bytes: ``utf-16``, ``utf-8-sig`` (with or without BOM) or ``cp1252``.

    Args:
        raw: the file's bytes, or its first bytes when ``sample`` is true.
        sample: the bytes may end in the middle of a character; that alone does not rule out UTF-8.

    Returns:
        The encoding, or None when the bytes are neither UTF-8 nor Windows-1252 text.

    >>> encoding_of("Café".encode("utf-8")), encoding_of("Café".encode("cp1252")), encoding_of(b"\xff\xfeA\x00")
    ('utf-8-sig', 'cp1252', 'utf-16')

    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        raw.decode("utf-8-sig")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        if sample and exc.start >= len(raw) - 4:  # a character cut in half at the end of the sample
            return "utf-8-sig"
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return "cp1252"


def decode(raw: bytes, label: str, *, encoding: str | None = None) -> tuple[str, str]:
    r"""Decode a text file's bytes, guessing the encoding unless one is given; returns the text and the encoding.

    Raises:
        DataError: the bytes are an Excel workbook, or text in an encoding other than UTF-8/16 or Windows-1252;
            the message names ``label`` and says how to save the file.

    >>> decode("a;b\n1;2".encode("cp1252"), "x.csv")
    ('a;b\n1;2', 'utf-8-sig')

    """
    if raw.startswith(_WORKBOOK):
        raise DataError(
            f"{label}: this is an Excel workbook, not a CSV file; in Excel use "
            "File > Save As > 'CSV UTF-8 (Comma delimited)' and read the .csv",
            problems=["file is an Excel workbook"],
            source=label,
        )
    chosen = encoding or encoding_of(raw)
    if chosen is None:
        raise DataError(
            f"{label}: the file is neither UTF-8 nor Windows-1252 (cp1252) text; save it again as "
            "'CSV UTF-8' or pass encoding=...",
            problems=["unknown text encoding"],
            source=label,
        )
    try:
        return raw.decode(chosen), chosen
    except (UnicodeDecodeError, LookupError) as exc:
        raise DataError(
            f"{label}: cannot read the file as {chosen} ({exc}); leave the encoding out to let the kit guess it",
            problems=["wrong text encoding"],
            source=label,
        ) from None


def read_text(path: str | Path, *, encoding: str | None = None) -> tuple[str, str]:
    """Read a text file as :func:`decode` does; returns the text and the encoding.

    Raises:
        DataError: the file is missing, a workbook, or not readable as text.

    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(
            f"{path}: cannot read the file ({exc.strerror}; working folder: {Path.cwd()}); check the name and folder",
            problems=["cannot read the file"],
            source=str(path),
        ) from None
    return decode(raw, path.name, encoding=encoding)


def sniff_separator(text: str) -> str:
    r"""The separator of CSV text: the one that splits the first lines into the same number of fields (``,``).

    >>> sniff_separator("a;b;c\n1;2,5;3\n"), sniff_separator("a,b\n1,2\n"), sniff_separator("one\n")
    (';', ',', ',')
    """
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_fields = ",", 1
    for sep in SEPARATORS:
        counts = [len(row) for row in csv.reader(lines, delimiter=sep)]
        if counts and counts[0] > best_fields and counts.count(counts[0]) >= 0.8 * len(counts):
            best, best_fields = sep, counts[0]
    return best


def listed(lines: list[str]) -> list[str]:
    """The first :data:`MAX_LISTED` problems of a long list, and a count of the rest.

    >>> listed([str(i) for i in range(42)])[-2:]
    ['39', '... and 2 more']
    """
    more = len(lines) - MAX_LISTED
    return lines[:MAX_LISTED] + ([f"... and {more} more"] if more > 0 else [])


def csv_rows(text: str, label: str, *, sep: str | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    r"""Split CSV text into its header and its rows, each numbered as in a spreadsheet (the header is row 1).

    Blank lines are skipped but counted, so a row's number is the line a spreadsheet shows.

    Raises:
        DataError: a row has more or fewer cells than the header (all such rows are listed, with the fix).

    >>> csv_rows("a;b\n1;2\n\n3;4\n", "x.csv")
    (['a', 'b'], [(2, ['1', '2']), (4, ['3', '4'])])

    """
    sep = sep or sniff_separator(text)
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    header = next(reader, [])
    rows = [(number, row) for number, row in enumerate(reader, 2) if row]
    width = len(header)
    ragged = [f"row {n} has {len(row)} cells but the header has {width}" for n, row in rows if len(row) != width]
    if ragged:
        raise DataError(
            f"{label}: "
            + "; ".join(listed(ragged))
            + f". A value probably contains the separator '{sep}': put that value in double quotes, or export the "
            "file again",
            problems=ragged,
            source=label,
        )
    return header, rows


def parse_yaml(text: str) -> Any:
    """The data of a YAML text of the kit's own (content files, the datasets' schema), read safely.

    Parsed by libyaml when PyYAML was built with it (its wheels are), about nine times faster than PyYAML's own
    parser on the content files: every lesson's kernel reads them, so this is time a trainee waits for.

    >>> parse_yaml("owners: [Ana Pop]")
    {'owners': ['Ana Pop']}
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # CSafeLoader or SafeLoader: both build plain data only


def read_json_dict(path: str | Path) -> dict[str, Any]:
    """The JSON object in a file, or ``{}`` when the file is missing, unreadable or holds something else.

    For the kit's own small files (saved answers, run records, markers): one that is damaged counts as none, and is
    left in place for a person to look at.

    >>> read_json_dict("no-such-file.json")
    {}
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
