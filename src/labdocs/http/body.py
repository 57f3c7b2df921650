"""Reading request bodies and query parameters, and writing response fields, for the API and the pages."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, NoReturn

from flask import request

from labdocs.errors import BadRequest, Invalid
from labdocs.infra.models import as_utc
from labdocs.schemas.errors import join_path
from labdocs.schemas.fields import not_text_problem

# Seconds a client is told to wait (Retry-After) when the server is holding as many waits as it allows.
RETRY_AFTER = "1"
# The most digits an integer in a request may have. Far more than any field allows (they refuse big numbers
# at their own field path, with their bound), and below Python's limit on reading integers (4,300 digits),
# past which int() raises ValueError and reading one costs time that grows with the square of its length.
MAX_INT_DIGITS = 1000
# Problems listed for one body at most: a body of 10,000 duplicate keys gets a short answer.
MAX_BODY_PROBLEMS = 50
DUPLICATE = "Given more than once: give each field once (JSON would keep only the last)."
# The escape that spells a lone surrogate (\ud800 to \udfff); raw UTF-8 cannot hold one, so without it none is there.
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class DuplicateKeys(dict[str, Any]):
    """A JSON object that named a key more than once (json.loads would silently keep the last value)."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self.duplicates = [key for key, times in Counter(key for key, _ in pairs).items() if times > 1]


class JsonReading:
    """One body's json.loads hooks: objects that mark duplicate keys, bounded integers, no NaN or Infinity."""

    def __init__(self) -> None:
        self.duplicates = False

    def object(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        """A dict, marked (and noted) when a key came twice, so the key's path can be named afterwards."""
        if len({key for key, _ in pairs}) == len(pairs):
            return dict(pairs)
        self.duplicates = True
        return DuplicateKeys(pairs)

    @staticmethod
    def integer(digits: str) -> int:
        """An integer of at most MAX_INT_DIGITS digits (a longer one is no field's value)."""
        if len(digits.lstrip("-")) > MAX_INT_DIGITS:
            raise BadRequest(f"A number in the data has more than {MAX_INT_DIGITS:,} digits; no field takes one "
                             "that long.")
        return int(digits)

    @staticmethod
    def constant(name: str) -> NoReturn:
        """NaN, Infinity and -Infinity: Python's json reads them, but they are not JSON and not a figure."""
        raise BadRequest(f"{name} is not JSON: send numbers as digits, like 30.")


def parse_json(body: bytes) -> Any:
    """A body as JSON (UTF-8, -16 or -32); BadRequest if it is not, Invalid naming each duplicate or broken key."""
    reading = JsonReading()
    try:
        text = body.decode(json.detect_encoding(body))
        data = json.loads(text, object_pairs_hook=reading.object, parse_int=reading.integer,
                          parse_constant=reading.constant)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"The data is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).") from None
    except ValueError:  # not UTF-8/16/32 (UnicodeDecodeError), or an integer past Python's own limit
        raise BadRequest("The data is not valid JSON: send it as UTF-8 text.") from None
    except RecursionError:  # nested thousands deep: not a project record, and not worth a traceback
        raise BadRequest("The data is nested too deeply to be a project record.") from None
    if reading.duplicates or SURROGATE_ESCAPE.search(text):
        refuse_unusable(data)
    return data


def unusable(data: Any) -> Iterator[tuple[str, str]]:
    """(field path, problem) for each duplicated key and each key or string holding a lone surrogate.

    Walked with a stack, not recursion: json.loads has already bounded the depth, but this need not rely on it.
    """
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            problem = not_text_problem(value)
            if problem:
                yield path or "_schema", problem
        elif isinstance(value, dict):
            for key in getattr(value, "duplicates", ()):
                yield join_path(path, key), DUPLICATE
            for key, item in reversed(value.items()):
                problem = not_text_problem(key)
                if problem:
                    yield join_path(path, key), problem
                stack.append((item, join_path(path, key)))
        elif isinstance(value, list):
            stack.extend((item, join_path(path, index)) for index, item in reversed(list(enumerate(value))))


def refuse_unusable(data: Any) -> None:
    """Invalid (422) naming each duplicated key and lone surrogate, before any schema or database sees them."""
    problems: dict[str, list[str]] = {}
    for path, problem in unusable(data):
        problems.setdefault(path, []).append(problem)
        if len(problems) >= MAX_BODY_PROBLEMS:
            break
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise Invalid(f"The data has {len(problems)} {noun}.", problems)


def request_json() -> Any:
    """The request's JSON body, or a 400 that says what to send (or a 422 naming a duplicated or broken key)."""
    if not request.is_json:
        raise BadRequest("Send the data as JSON with Content-Type: application/json.")
    data = parse_json(request.get_data(cache=True))
    if data is None:
        raise BadRequest("Send the data as JSON with Content-Type: application/json.")
    return data


def flag(name: str) -> bool:
    """A true/false query parameter such as ?strict=true."""
    return request.args.get(name, "").lower() in ("1", "true", "yes")


def wait_seconds(limit: float) -> float:
    """?wait=N as seconds between 0 and `limit` (anything else, "nan" included, is 0)."""
    wait = request.args.get("wait", type=float) or 0.0
    return min(wait, limit) if wait > 0 else 0.0


def timestamp(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC."""
    if moment is None:
        return None
    return as_utc(moment).astimezone(UTC).isoformat().replace("+00:00", "Z")
