"""The C library's calls: None wherever the library cannot give one, never an exception."""

import ctypes
import sys

import pytest

from sokhcn_site.libc import c_function


def _refuse(error: type[Exception]):
    def cdll(*args, **kwargs):
        raise error("no C library here")

    return cdll


@pytest.mark.parametrize("error", [TypeError, OSError])
def test_a_c_library_that_cannot_be_opened_gives_no_function(monkeypatch, error):
    # Windows' ctypes takes no None for the process's own library: TypeError, not OSError.
    monkeypatch.setattr(ctypes, "CDLL", _refuse(error))
    assert c_function("renameat2") is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's own functions")
def test_a_function_of_the_c_library_is_found_and_a_missing_one_is_none():
    assert callable(c_function("prctl"))
    assert c_function("no_such_function_in_any_libc") is None
