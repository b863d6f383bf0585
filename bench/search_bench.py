"""Measure the search page in Chromium: the first query's download and its time to results.

``measure_search(site_dir)`` serves a built site over HTTP on 127.0.0.1 (under the base
path its pages were built for) and, for each query, opens the search page in a fresh
browser context (empty cache), types the query and reads what the page recorded:

* ``bytes``: every file fetched from ``tim-kiem/index/`` (the shard table, the term
  shards, the ten result records): the issue allows 300 KB at 10,000 articles;
* ``compute_ms``: from the data's arrival to the results shown (ranking plus rendering,
  no network): the issue allows 100 ms.

Command line: ``python bench/search_bench.py SITE_DIR`` for a built site, or
``python bench/search_bench.py --articles 10000`` to generate (bench/corpus.py), build
and measure a site of that size.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from sokhcn_site.localserver import serving
from sokhcn_site.pipeline import BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
QUERIES = (
    "khoa hoc",
    "đo lường chất lượng",
    "Thanh Hóa",
    "so huu tri tue",
    "hội nghị tổng kết",
    "chuyen doi so",
    "nông thôn miền núi",
    "thanh h",
)
BUDGET_BYTES = 300 * 1024
BUDGET_MS = 100.0
# Sums what the page downloaded from the index, as the browser saw it.
_INDEX_BYTES = """() => performance.getEntriesByType('resource')
  .filter((e) => e.name.includes('/tim-kiem/index/'))
  .reduce((sum, e) => sum + e.encodedBodySize, 0)"""


def _base_path(site_dir: Path) -> str:
    page = (site_dir / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<html[^>]*\sdata-base="([^"]*)"', page)
    return match[1] if match else "/"


def measure_search(site_dir: Path, queries: Sequence[str] = QUERIES) -> dict[str, Any]:
    """First-query bytes and time to results, per query and at worst, on a built site."""
    from playwright.sync_api import sync_playwright

    meta = json.loads((site_dir / "tim-kiem/index/meta.json").read_text(encoding="utf-8"))
    measured = []
    with serving(site_dir, _base_path(site_dir)) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for query in queries:
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{base}tim-kiem/")
            page.fill("#q", query)
            page.wait_for_function(
                "q => window.__searchTimings.some((t) => t.query === q)", arg=query
            )
            timing = page.evaluate("window.__searchTimings.at(-1)")
            measured.append({
                "query": query, "results": timing["results"], "bytes": page.evaluate(_INDEX_BYTES),
                "requests": timing["requests"], "compute_ms": round(timing["computeMs"], 1),
                "network_ms": round(timing["fetchMs"], 1),
            })  # fmt: skip
            context.close()
        browser.close()
    return {
        "articles": meta["n"],
        "queries": measured,
        "first_query_bytes_max": max(m["bytes"] for m in measured),
        "compute_ms_max": max(m["compute_ms"] for m in measured),
        "budget_bytes": BUDGET_BYTES,
        "budget_ms": BUDGET_MS,
    }


def _generated_site(articles: int, work: Path) -> Path:
    """Generate a corpus with bench/corpus.py and build it with the project."""
    sys.path.insert(0, str(Path(__file__).parent))
    from corpus import CATEGORIES, generate_corpus

    generate_corpus(work, articles)
    # The repository's settings, with the corpus's categories in the menu.
    config = yaml.safe_load((ROOT / "site.yaml").read_text(encoding="utf-8"))
    config |= {"categories": dict(CATEGORIES), "menu": []}
    (work / "site.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    options = BuildOptions(
        content=work / "content", templates=ROOT / "templates", static=ROOT / "static",
        config=work / "site.yaml", output=work / "public", cache_dir=work / "cache", offline=True,
    )  # fmt: skip
    started = time.perf_counter()
    report = build(options, now=datetime.now(UTC))
    if report.failed:
        raise SystemExit("\n".join(d.format() for d in report.diagnostics))
    print(f"built {articles} articles in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return options.output


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, help="a built site's folder")
    parser.add_argument("--articles", type=int, help="generate and build a site of this size")
    parser.add_argument("--json", action="store_true", help="print the whole measurement")
    args = parser.parse_args(argv)
    if (args.site is None) == (args.articles is None):
        parser.error("give a built site's folder or --articles N")
    with tempfile.TemporaryDirectory() as work:
        site = args.site or _generated_site(args.articles, Path(work))
        result = measure_search(site)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    for m in result["queries"]:
        print(f"  {m['query']!r}: {m['results']} results, {m['bytes'] / 1024:.1f} KB in "
              f"{m['requests']} files, {m['compute_ms']:.1f} ms")  # fmt: skip
    print(summary(result))
    return 0 if within_budget(result) else 1


def summary(result: dict[str, Any]) -> str:
    """One line: the worst first-query download and time to results, against the budgets."""
    return (
        f"search at {result['articles']} articles: first query downloads at most "
        f"{result['first_query_bytes_max'] / 1024:.1f} KB (budget 300 KB); results shown "
        f"{result['compute_ms_max']:.1f} ms after the data arrived (budget 100 ms)"
    )


def within_budget(result: dict[str, Any]) -> bool:
    return result["first_query_bytes_max"] <= BUDGET_BYTES and result["compute_ms_max"] <= BUDGET_MS


if __name__ == "__main__":
    sys.exit(main())
