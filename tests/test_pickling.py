"""The parse results the cache and the process pool move pickle exactly, and without
dataclasses.fields() per object (see sokhcn_site/pickling.py)."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from conftest import article

from sokhcn_site import pickling
from sokhcn_site.config import load_config
from sokhcn_site.discover import discover
from sokhcn_site.parse import ParseJob, parse_job
from sokhcn_site.search import SearchEntry


def _parsed(site) -> list:
    config, problems = load_config(site.root / "site.yaml", None)
    assert config is not None, problems
    inputs = discover(site.root / "content", site.root / "static")
    jobs = [ParseJob(source, category) for source, category in inputs.articles]
    return [parse_job(config, job) for job in jobs]


def test_parse_results_round_trip_without_fields_lookups(make_site, monkeypatch):
    body = "Xem [bài kia](2020-01-15-b.md).\n\n![](anh.png)\n\n<script>x</script>"
    site = make_site(
        {
            "content/tin/2020-01-14-a.md": article("Hội nghị", body=body, author="Lê Văn A"),
            "content/tin/2020-01-15-b.md": article("Tin thứ hai", "2020-01-15"),
            "content/tin/anh.png": b"\x89PNG",
        }
    )
    results = _parsed(site)
    assert results[0].diagnostics and results[0].links and results[0].search is not None

    def no_fields(*args: object) -> None:
        raise AssertionError("dataclasses.fields() called while pickling")

    monkeypatch.setattr(dataclasses, "fields", no_fields)
    copies = pickle.loads(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))
    assert copies == results
    # Fields set by __post_init__, which unpickling does not run, come back too.
    entry: SearchEntry = copies[0].search
    assert (entry.digest, entry.head) == (results[0].search.digest, results[0].search.head)


def test_a_single_field_class_keeps_its_value():
    @pickling.fast_pickle
    @dataclasses.dataclass(frozen=True, slots=True)
    class One:
        value: tuple[int, ...]

    globals()["One"] = One  # pickle finds classes by name
    One.__qualname__ = "One"
    assert pickle.loads(pickle.dumps(One((1, 2)))) == One((1, 2))
    with pytest.raises(dataclasses.FrozenInstanceError):
        One((1,)).value = (2,)  # type: ignore[misc]
