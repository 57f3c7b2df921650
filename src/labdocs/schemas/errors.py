"""Turn marshmallow's nested messages into flat field paths (budget.2.amount) in plain English."""

from __future__ import annotations

from typing import Any

# marshmallow's default wording, as a lab lead would rather read it.
PLAIN = {
    "Missing data for required field.": "This is required.",
    "Unknown field.": "This is not a field of this form; check its spelling.",
    "Field may not be null.": "Must not be empty (null).",
    "Not a valid string.": "Must be text.",
    "Not a valid integer.": "Enter a whole number, like 6.",
    "Not a valid boolean.": "Must be true or false.",
    "Not a valid list.": "Must be a list.",
    "Invalid input type.": "Must be an object with named fields.",
    "Invalid type.": "Must be an object with named fields.",
    "Not a valid mapping type.": "Must be an object with named fields.",
    "Not a valid date.": "Enter a date as YYYY-MM-DD, like 2024-04-01.",
}


def plain(message: str) -> str:
    return PLAIN.get(message, message)


def path_part(key: Any) -> str:
    """A key as it can be shown in a field path: unprintable characters (a lone surrogate, a newline) escaped.

    The key came from the request; a lone surrogate in it could not be written into a page or a log.
    """
    text = str(key)
    return text if text.isprintable() else "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text)


def join_path(prefix: str, key: Any) -> str:
    """budget + 2 → budget.2: the field path of `key` inside `prefix`."""
    return f"{prefix}.{path_part(key)}" if prefix else path_part(key)


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Flatten {"budget": {2: {"amount": [...]}}} to {"budget.2.amount": [...]}."""
    if isinstance(messages, str):
        return {prefix or "_schema": [plain(messages)]}
    if isinstance(messages, list) and all(isinstance(item, str) for item in messages):
        return {prefix or "_schema": [plain(item) for item in messages]}
    flat: dict[str, list[str]] = {}
    pairs = messages.items() if isinstance(messages, dict) else enumerate(messages)
    for key, value in pairs:
        path = prefix if key == "_schema" else join_path(prefix, key)
        for field, texts in flatten_messages(value, path).items():
            flat.setdefault(field, []).extend(texts)
    return flat


def describe(errors: dict[str, list[str]]) -> list[str]:
    """One line per problem, for the command line: 'budget.2.amount: Must not be negative.'"""
    return [f"{field}: {text}" for field, texts in errors.items() for text in texts]
