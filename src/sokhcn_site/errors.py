"""Problems found in the input, reported as values."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .pickling import fast_pickle

Severity = Literal["error", "warning"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_VISIBLE = {
    code: {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(chr(code), f"\\u{code:04x}")
    for code in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)
}


@fast_pickle
@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem, pointing at a file and a 1-based line."""

    path: str
    line: int
    severity: Severity
    message: str

    def format(self) -> str:
        """One line, whatever the message quotes (a link written `java%0ascript:` decodes to
        two): editors' tools read `PATH:LINE:` a line at a time."""
        text = f"{self.path}:{self.line}: {self.severity}: {self.message}"
        return text.translate(_VISIBLE) if _CONTROL.search(text) else text


def error(path: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, "error", message)


def warning(path: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, "warning", message)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def text_line(text: str, needle: str) -> int:
    """The 1-based line of the first `needle` in `text`, or 1 when it is not there."""
    position = text.find(needle) if needle else -1
    return text.count("\n", 0, position) + 1 if position >= 0 else 1
