"""Sending xAPI statements to a learning record store (LRS): in batches, again after a passing failure, never twice.

:func:`send_statements` POSTs statements to the LRS's statements resource (``<endpoint>/statements``, xAPI 1.0.3)
in batches. A failure that passes (the LRS cannot be reached, a time-out, 429, 502, 503, 504 or another 5xx) is
tried again after a pause that doubles each time (or the LRS's ``Retry-After``), up to ``retries`` times. Each
statement carries an id made from what it states (:mod:`mopskit.lms.xapi`), so sending again is safe: an LRS
keeps a statement whose id it already holds once (xAPI answers 204 for a batch it held entirely). A statement
whose id the LRS holds with *other* content (409) is named, never overwritten. Credentials go in an
``Authorization`` header: ``user:password`` (HTTP Basic), or a header value as it is (``Basic ...``,
``Bearer ...``).
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import LrsError

__all__ = ["TRANSIENT", "SendResult", "send_statements", "statements_url"]

TRANSIENT = {408, 425, 429, 500, 502, 503, 504}  # statuses worth trying again
_VERSION = "1.0.3"


@dataclass
class SendResult:
    """What a send did.

    Attributes:
        stored: ids the LRS stored now.
        held: statements the LRS held already (a re-send), counted.
        batches: requests that succeeded.
        retries: requests tried again after a passing failure.

    """

    stored: list[str] = field(default_factory=list)
    held: int = 0
    batches: int = 0
    retries: int = 0

    def __str__(self) -> str:
        text = f"{len(self.stored)} statement(s) stored, {self.held} already there, in {self.batches} request(s)"
        return text + (f" ({self.retries} tried again after a passing failure)" if self.retries else "")


def statements_url(endpoint: str) -> str:
    """The statements resource of an LRS endpoint.

    >>> statements_url("http://127.0.0.1:8100/xAPI/"), statements_url("https://lrs.example.org/xapi/statements")
    ('http://127.0.0.1:8100/xAPI/statements', 'https://lrs.example.org/xapi/statements')
    """
    url = endpoint.rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise LrsError(
            f"'{endpoint}' is not an LRS address; give its xAPI endpoint, e.g. https://lrs.example.org/xapi/"
        )
    return url if url.endswith("/statements") else f"{url}/statements"


def _authorization(auth: str | None) -> dict[str, str]:
    if not auth:
        return {}
    if auth.split(" ", 1)[0] in ("Basic", "Bearer"):
        return {"Authorization": auth}
    if ":" not in auth:
        raise LrsError("--auth must be user:password, or a whole header value such as 'Bearer <token>'")
    return {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode()}


def _message(body: bytes) -> str:
    """The LRS's reason, short: FastAPI's validation details as ``where: what`` each.

    >>> _message(b'{"detail": [{"loc": ["body", 0, "actor"], "msg": "Field required"}]}')
    'statement 1, actor: Field required'
    """
    try:
        data = json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")[:300]
    detail = data.get("detail") or data.get("message") or data if isinstance(data, dict) else data
    if isinstance(detail, list) and all(isinstance(d, dict) and "msg" in d for d in detail):
        parts = []
        for d in detail[:5]:
            loc = [str(x) for x in d.get("loc", []) if x != "body"]
            where = f"statement {int(loc[0]) + 1}, " + ".".join(loc[1:]) if loc and loc[0].isdigit() else ".".join(loc)
            parts.append(f"{where}: {d['msg']}" if where else str(d["msg"]))
        return "; ".join(parts)
    return str(detail)[:300]


def send_statements(
    statements: Sequence[dict[str, Any]],
    *,
    lrs: str,
    auth: str | None = None,
    batch: int = 50,
    retries: int = 5,
    backoff: float = 0.5,
    timeout: float = 30.0,
    progress: Callable[[int], None] | None = None,
) -> SendResult:
    """Send statements to an LRS, in batches, trying again after a passing failure; safe to run again.

    Args:
        statements: the statements (each with its id: :func:`mopskit.lms.xapi.statements`).
        lrs: the LRS's xAPI endpoint (``https://lrs.example.org/xapi/``) or its statements resource.
        auth: ``user:password``, or an ``Authorization`` header value.
        batch: statements per request.
        retries: how many times a request is tried again after a passing failure.
        backoff: the first pause, in seconds (it doubles each time).
        timeout: seconds to wait for an answer.
        progress: called with the number of statements done after each request.

    Returns:
        What was stored and what the LRS held already.

    Raises:
        LrsError: the LRS refused the credentials or a statement, held a statement's id with other content, or
            could not be reached after the retries; ``sent`` says how many statements were done before.

    """
    url = statements_url(lrs)
    headers = {"Content-Type": "application/json", "X-Experience-API-Version": _VERSION, **_authorization(auth)}
    missing = [i for i, s in enumerate(statements) if not s.get("id")]
    if missing:
        raise LrsError(f"statement {missing[0] + 1} has no id; make statements with mopskit.lms.xapi")
    result = SendResult()
    conflicts: list[str] = []
    for start in range(0, len(statements), max(batch, 1)):
        chunk = list(statements[start : start + max(batch, 1)])
        status, body = _post(url, chunk, headers, retries=retries, backoff=backoff, timeout=timeout, result=result)
        if status == 409 and len(chunk) > 1:  # one of them differs from what the LRS holds: find which
            for statement in chunk:
                one, one_body = _post(
                    url, [statement], headers, retries=retries, backoff=backoff, timeout=timeout, result=result
                )
                if one == 409:
                    conflicts.append(statement["id"])
                else:
                    _count(result, [statement], one, one_body)
        elif status == 409:
            conflicts.append(chunk[0]["id"])
        else:
            _count(result, chunk, status, body)
        if progress is not None:
            progress(min(start + len(chunk), len(statements)))
    if conflicts:
        raise LrsError(
            f"the LRS holds {len(conflicts)} statement id(s) with other content, left as they are: "
            f"{', '.join(conflicts[:5])}{' ...' if len(conflicts) > 5 else ''}; a statement is never changed once "
            "stored (a changed grade is sent as a new statement)",
            sent=len(result.stored) + result.held,
        )
    return result


def _count(result: SendResult, chunk: list[dict[str, Any]], status: int, body: bytes) -> None:
    result.batches += 1
    if status == 204:
        result.held += len(chunk)
        return
    try:
        stored = [str(i) for i in json.loads(body)]
    except (ValueError, TypeError):
        stored = [s["id"] for s in chunk]
    result.stored += stored
    result.held += len(chunk) - len(stored)


def _post(
    url: str,
    chunk: list[dict[str, Any]],
    headers: dict[str, str],
    *,
    retries: int,
    backoff: float,
    timeout: float,
    result: SendResult,
) -> tuple[int, bytes]:
    """POST one batch; returns (status, body) for 200, 204 and 409, tries again on passing failures."""
    data = json.dumps(chunk).encode("utf-8")
    pause = backoff
    for attempt in range(retries + 1):
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        wait = pause
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            body = error.read()
            if error.code == 409:
                return 409, body
            if error.code in (401, 403):
                raise LrsError(
                    f"the LRS at {url} refused the credentials ({error.code}): give --auth user:password",
                    sent=len(result.stored) + result.held,
                ) from None
            if error.code not in TRANSIENT or attempt == retries:
                raise LrsError(
                    f"the LRS at {url} answered {error.code}: {_message(body)}"
                    + (f" (after {retries} retries)" if error.code in TRANSIENT else ""),
                    sent=len(result.stored) + result.held,
                ) from None
            after = error.headers.get("Retry-After") if error.headers else None
            if after and after.strip().isdigit():
                wait = max(wait, float(after))
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
            if attempt == retries:
                reason = getattr(error, "reason", error)
                raise LrsError(
                    f"the LRS at {url} could not be reached ({reason}) after {retries} retries; check the address",
                    sent=len(result.stored) + result.held,
                ) from None
        result.retries += 1
        time.sleep(wait)
        pause *= 2
    raise AssertionError("unreachable")  # pragma: no cover
