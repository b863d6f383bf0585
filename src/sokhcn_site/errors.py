"""Problems found in the input, reported as values."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .pickling import fast_pickle

Severity = Literal["error", "warning"]


@fast_pickle
@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem, pointing at a file and a 1-based line."""

    path: str
    line: int
    severity: Severity
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


def error(path: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, "error", message)


def warning(path: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, "warning", message)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def line_in(text: str, needle: str) -> int:
    """The 1-based line of the first `needle` in a file's text, or 1 when it is not there."""
    # Bodies are NFC from parse on; the file may be NFD. Normalising keeps the line count.
    return text_line(unicodedata.normalize("NFC", text), needle)


def text_line(text: str, needle: str) -> int:
    """The 1-based line of the first `needle` in `text`, or 1 when it is not there."""
    position = text.find(needle) if needle else -1
    return text.count("\n", 0, position) + 1 if position >= 0 else 1
