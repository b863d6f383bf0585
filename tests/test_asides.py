"""The cache keeps long byte strings aside, read one by one and checked as they are read."""

from __future__ import annotations

import pytest

from sokhcn_site.asides import ASIDE, dumps_aside, loads_aside
from sokhcn_site.model import Stored, StoredGone, bytes_of


def _round_trip(tmp_path, value):
    pickled, aside = dumps_aside(value)
    (tmp_path / "text").write_bytes(aside)
    return loads_aside(pickled, str(tmp_path / "text"))


def test_long_bytes_come_back_stored_and_short_ones_in_line(tmp_path):
    long, short = "Thân bài dài ".encode() * 40, b"x" * (ASIDE - 1)
    back = _round_trip(tmp_path, {"a": (long, short, "chữ"), "b": [long]})
    stored, kept, text = back["a"]
    assert isinstance(stored, Stored) and stored.read() == long
    assert kept == short and text == "chữ"
    assert bytes_of(back["b"][0]) == long and bytes_of(kept) == short


def test_a_stored_value_is_set_aside_again_when_saved_anew(tmp_path):
    (tmp_path / "old").mkdir()
    first = _round_trip(tmp_path / "old", [b"y" * 999])
    again = _round_trip(tmp_path, first)
    assert isinstance(first[0], Stored) and again[0].path == str(tmp_path / "text")
    (tmp_path / "old" / "text").unlink()  # the new file holds the bytes itself
    assert again[0].read() == b"y" * 999


@pytest.mark.parametrize("damage", ["garbage", "truncate", "delete"])
def test_reading_bytes_that_changed_raises_stored_gone(tmp_path, damage):
    (stored,) = _round_trip(tmp_path, [b"z" * 1000])
    text = tmp_path / "text"
    if damage == "garbage":
        text.write_bytes(b"z" * 500 + b"!" + b"z" * 499)
    elif damage == "truncate":
        text.write_bytes(b"z" * 10)
    else:
        text.unlink()
    with pytest.raises(StoredGone):
        stored.read()
