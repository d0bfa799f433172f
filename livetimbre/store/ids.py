"""Artifact ids, blob names and export file names: the shapes accepted, every other
value refused with an error that names it (escaped, shortened)."""

from __future__ import annotations

__all__ = ["ID_LENGTH", "MIN_PREFIX", "check_artifact_id", "check_file_stem", "check_sha256",
           "new_id"]

import re
import uuid

from livetimbre.errors import StoreError
from livetimbre.files.read import excerpt

ID_LENGTH = 32  # a UUID4 as 32 lowercase hexadecimal digits
MIN_PREFIX = 6  # `show`, `export`, `regen` accept a unique prefix this long or longer
_HEX = re.compile(r"[0-9a-f]+")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def new_id() -> str:
    """A fresh artifact id."""
    return uuid.uuid4().hex


def check_artifact_id(value: object) -> str:
    """`value` as an artifact id or a prefix of one (6 to 32 hexadecimal digits, or a
    UUID with dashes); StoreError naming the value otherwise."""
    text = value.strip().lower() if isinstance(value, str) else ""
    if _UUID.fullmatch(text):
        text = text.replace("-", "")
    if MIN_PREFIX <= len(text) <= ID_LENGTH and _HEX.fullmatch(text):
        return text
    raise StoreError(f"Not an artifact id: {excerpt(value)} (an id is {MIN_PREFIX} to "
                     f"{ID_LENGTH} hexadecimal digits, as `livetimbre artifacts list` "
                     "shows them).")


def check_sha256(value: object) -> str:
    """`value` if it is a SHA-256 in lowercase hex (a blob's name); StoreError otherwise."""
    if isinstance(value, str) and _SHA256.fullmatch(value):
        return value
    raise StoreError(f"Not a SHA-256 blob name: {excerpt(value)}.")


def check_file_stem(value: object) -> str:
    """`value` if it can name a file inside a folder and nothing else: letters, digits,
    '.', '_' and '-', not starting with a dot, no separators, at most 100 characters."""
    if isinstance(value, str) and _STEM.fullmatch(value) and ".." not in value:
        return value
    raise StoreError(f"Not a file name livetimbre writes into an export folder: "
                     f"{excerpt(value)} (letters, digits, '.', '_' and '-' only; no path).")
