"""A short benchmark run works end to end (the benchmark itself is not a test: no times)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_a_short_benchmark_run_prints_every_figure_and_checks_the_rebuilds(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--articles", "200", "--keep",
         str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for start in ("Markdown floor: ", "cold build: "):
        assert sum(line.startswith(start) for line in lines) == 1, done.stdout
    cold = next(line for line in lines if line.startswith("cold build: "))
    assert " s (CPU " in cold and "pages/s" in cold and "peak memory" in cold
    for change in ("nothing changed", "one body edited", "one title changed",
                   "one article added", "one article deleted"):  # fmt: skip
        [line] = [line for line in lines if line.startswith(f"rebuild, {change}: ")]
        assert line.endswith("output byte-identical to a clean build"), line
        assert " s (median of 3: " in line, line  # each run its own change, each checked
    [unchanged] = [line for line in lines if line.startswith("rebuild, nothing changed: ")]
    assert ", files written 0, 0, 0, " in unchanged
    [edited] = [line for line in lines if line.startswith("rebuild, one body edited: ")]
    # Each run's count: the article's page and the search files its new words are in.
    counts = edited.split(", files written ")[1].split(", peak")[0].split(", ")
    assert len(counts) == 3 and all(int(count) >= 2 for count in counts), edited
    [search] = [line for line in lines if line.startswith("search at 200 articles: ")]
    assert "first query downloads at most" in search and "ms after the data arrived" in search
    # No clean build was deleted to make room for the next: deleting thousands of files
    # slows the timed runs after it (see measure_ours). Each holds a whole site.
    cleans = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("clean-"))
    assert cleans == sorted(f"clean-{n}" for n in range(15))
    assert all((tmp_path / name / "index.html").is_file() for name in cleans)


def test_the_linearity_benchmark_builds_both_sizes_in_turn_and_prints_the_median(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "linear.py"), "--articles", "20", "--pairs", "2",
         "--keep", str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    pairs = [line for line in lines if line.startswith("pair ")]
    assert [line.split(":")[0] for line in pairs] == ["pair 1", "pair 2"], done.stdout
    assert all("cold build of 20 articles " in line and ", of 60 " in line for line in pairs)
    ratios = [float(line.rsplit(": ", 1)[1].split(" times")[0]) for line in pairs]
    [median] = [line for line in lines if line.startswith("median of 2: ")]
    shown = float(median.removeprefix("median of 2: ").split(" times")[0])
    assert abs(shown - (ratios[0] + ratios[1]) / 2) <= 0.01, median  # each shown rounded
    assert "target at most 3.3: " in median
    # Every build into a folder of its own, none deleted before the end.
    for size, pair in ((20, 1), (60, 1), (20, 2), (60, 2)):
        site = tmp_path / f"public-{size}-{pair}"
        assert len(list(site.glob("*/*/index.html"))) >= size, site
