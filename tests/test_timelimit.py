"""A file that makes Python-Markdown crawl is an error after `parse_timeout` seconds of CPU
time, not a build that runs for hours."""

import signal
import threading
import time

import pytest
from conftest import article

from sokhcn_site import cache
from sokhcn_site.parse import Parsed
from sokhcn_site.timelimit import TimeUp, cpu_time_limit

# Python-Markdown takes ~10 s on this (quadratic in the unclosed links); the tests allow 0.5.
CRAWLING_BODY = "Mở đầu.\n\n" + "[a](" * 8000
LIMIT = {"parse_timeout": 0.5}


def _spin(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_the_limit_interrupts_a_busy_step_and_restores_the_signal_handler():
    before = signal.getsignal(signal.SIGVTALRM)
    with pytest.raises(TimeUp), cpu_time_limit(0.05):
        _spin(5)
    with cpu_time_limit(1):  # a step within its limit runs to its end
        _spin(0.01)
    _spin(0.1)  # and no timer is left to go off later
    assert signal.getsignal(signal.SIGVTALRM) == before


def test_off_the_main_thread_there_is_no_limit():
    finished = []

    def step() -> None:
        with cpu_time_limit(0.01):
            _spin(0.1)
        finished.append(True)

    thread = threading.Thread(target=step)
    thread.start()
    thread.join()
    assert finished == [True]


@pytest.mark.parametrize("others", [1, 140], ids=["in this process", "in a pool"])
def test_a_crawling_body_is_an_error_at_its_file_and_is_not_cached(make_site, others):
    files = {f"content/tin/bai-{n}.md": article(f"Bài {n}") for n in range(others)}
    site = make_site({**files, "content/tin/cham.md": article("Chậm", body=CRAWLING_BODY)}, LIMIT)
    result = site.build("--jobs", "2")
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(errors) == 1
    # The body starts on line 5, after "---", title, date and "---".
    where = f"{site.root / 'content/tin/cham.md'}:5: error: "
    assert errors[0].startswith(where + "đọc phần nội dung mất hơn 0,5 giây (parse_timeout")
    # Another machine, or this one less busy, may read it in time: only the others are kept.
    state, _ = cache.load(site.root / ".cache" / "build", cache.code_stamp())
    kept = [v for v in cache.parse_results(state)[0].results.values() if isinstance(v, Parsed)]
    assert sorted(parsed.item.title for parsed in kept) == sorted(f"Bài {n}" for n in range(others))


def test_the_limit_must_be_a_number_of_seconds(make_site):
    site = make_site({"content/tin/a.md": article()}, {"parse_timeout": "nhanh"})
    result = site.build()
    assert result.code == 2  # a configuration error
    line = (site.root / "site.yaml").read_text().splitlines().index("parse_timeout: nhanh") + 1
    assert result.err == (
        f"{site.root / 'site.yaml'}:{line}: error: "
        "'parse_timeout' must be a number of seconds greater than 0\n"
    )
