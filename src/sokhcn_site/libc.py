"""The C library's calls that Python's os module does not offer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def c_function(name: str) -> Callable[..., Any] | None:
    """The C library's function `name`, which sets errno for ctypes.get_errno; None where
    the library has none of that name (not Linux, an older glibc) or cannot be opened
    (as on Windows)."""
    import ctypes  # only the few steps that need a call of it pay for the import

    try:
        return getattr(ctypes.CDLL(None, use_errno=True), name, None)
    except (OSError, TypeError):  # Windows' CDLL takes no None (the process's own library)
        return None
