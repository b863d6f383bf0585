"""Deterministic digests of build values: what the cache's keys are made of."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from types import BuiltinFunctionType, FunctionType
from typing import Any

DIGEST_SIZE = 16  # bytes; a collision needs ~2**64 values

_LEAVES = frozenset({str, int, float, bool, type(None), bytes, datetime, date, timedelta})
_FUNCTIONS = (FunctionType, BuiltinFunctionType)


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).digest()


class Fingerprints:
    """Digests of values: equal values give equal digests, in any process, in any build.

    Frozen dataclass instances are digested once and remembered by identity (the memo keeps
    them alive, so an identity is never reused), because the same article or config is
    handed to thousands of pages. Only plain data is accepted: an unknown type raises
    TypeError rather than hashing something that is not its value.
    """

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, str]] = {}
        self._fields: dict[type, tuple[str, ...]] = {}

    def determined_by(self, value: Any, key: bytes) -> None:
        """Declare that the frozen `value` is a pure function of what `key` digests.

        A parse result is fixed by its file's bytes, place, config and code: its parse key.
        Using that key as the value's fingerprint spares hashing every article body again on
        every build; equal keys still mean equal values, so no page can be left stale.
        """
        self._memo[id(value)] = (value, "=" + key.hex())

    def text(self, value: Any) -> str:
        """How `of` writes the frozen dataclass instance `value` among other values."""
        return self._dataclass(value)

    def remember(self, value: Any, text: str) -> None:
        """Use `text` for the frozen `value`: what text() gave for a value equal to it, in any
        process, in any build."""
        self._memo[id(value)] = (value, text)

    def of(self, value: Any) -> bytes:
        parts: list[str] = []
        self._encode(value, parts)
        return digest("\x1f".join(parts).encode("utf-8", "surrogatepass"))

    def _encode(self, value: Any, parts: list[str]) -> None:
        kind = type(value)
        if kind in _LEAVES:
            # repr() of these is exact and unambiguous (strings are quoted and escaped;
            # datetimes name their tzinfo, e.g. zoneinfo.ZoneInfo(key='Asia/Ho_Chi_Minh')).
            parts.append(repr(value))
        elif kind is tuple or kind is list:
            parts.append("(")
            for item in value:
                self._encode(item, parts)
            parts.append(")")
        elif hasattr(kind, "__dataclass_fields__"):
            parts.append(self._dataclass(value))
        elif isinstance(value, Mapping):
            parts.append("{")
            for key in sorted(value):
                self._encode(key, parts)
                self._encode(value[key], parts)
            parts.append("}")
        elif isinstance(value, _FUNCTIONS):
            # A pure function's result is fixed by its code (in the cache stamp) and arguments.
            parts.append(f"<{value.__module__}.{value.__qualname__}>")
        else:
            raise TypeError(f"cannot fingerprint a {kind.__qualname__}: {value!r:.80}")

    def _dataclass(self, value: Any) -> str:
        known = self._memo.get(id(value))
        if known is not None:
            return known[1]
        kind = type(value)
        names = self._fields.get(kind)
        if names is None:
            names = self._fields[kind] = tuple(kind.__dataclass_fields__)
        parts = [f"{kind.__module__}.{kind.__qualname__}"]
        for name in names:
            self._encode(getattr(value, name), parts)
        text = "#" + digest("\x1f".join(parts).encode("utf-8", "surrogatepass")).hex()
        self._memo[id(value)] = (value, text)
        return text


def tree_digest(folder: Path, pattern: str = "*") -> bytes:
    """One digest of the files below `folder` matching `pattern`: names and bytes, sorted."""
    hasher = hashlib.blake2b(digest_size=DIGEST_SIZE)
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file()):
        data = path.read_bytes()
        name = path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape")
        hasher.update(b"%d:%s%d:" % (len(name), name, len(data)))
        hasher.update(data)
    return hasher.digest()
