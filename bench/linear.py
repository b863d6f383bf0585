"""Does a cold build grow linearly? Cold builds of N and 3 N articles, in turn.

    python bench/linear.py --articles 10000 [--pairs 3] [--jobs N] [--keep DIR]

The target: a cold build of 3 N articles takes at most 3.3 times one of N. On a shared
machine one pair moves by a tenth either way; pairs built in turn (N, 3 N, N, 3 N, ...) meet
the same moments of the machine, and the median of their ratios is printed with every pair.
Each build has a folder and a cache of its own, and nothing is deleted before the end (see
run.measure_ours). Times are measured, never asserted.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from run import build, compile_package, make_site, versions

SCALE = 3
TARGET = 3.3


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--jobs", type=int, default=None, help="passed to the build")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    if args.pairs < 1:
        parser.error("--pairs: at least 1")
    from sokhcn_site.parallel import default_jobs

    jobs = args.jobs or default_jobs()
    sizes = (args.articles, SCALE * args.articles)
    work = args.keep or Path(tempfile.mkdtemp(prefix="sokhcn-linear-"))
    try:
        for size in sizes:
            make_site(work / f"site-{size}", size, args.seed)
        compile_package()
        print(versions(jobs))
        print(f"corpora: {sizes[0]} and {sizes[1]} articles, seed {args.seed}, in {work}")
        ratios, cpu_ratios = [], []
        for pair in range(1, args.pairs + 1):
            small, large = (
                build(work / f"site-{size}", work / f"public-{size}-{pair}",
                      "--cache-dir", str(work / f"cache-{size}-{pair}"), "--jobs", str(jobs))
                for size in sizes
            )  # fmt: skip
            ratios.append(large.seconds / small.seconds)
            cpu_ratios.append(large.cpu / small.cpu)
            print(f"pair {pair}: cold build of {sizes[0]} articles {small.seconds:.2f} s "
                  f"(CPU {small.cpu:.2f} s), of {sizes[1]} {large.seconds:.2f} s (CPU "
                  f"{large.cpu:.2f} s): {ratios[-1]:.2f} times (CPU {cpu_ratios[-1]:.2f})",
                  flush=True)  # fmt: skip
        median = statistics.median(ratios)
        print(f"median of {len(ratios)}: {median:.2f} times (CPU "
              f"{statistics.median(cpu_ratios):.2f}); target at most {TARGET}: "
              f"{'met' if median <= TARGET else 'NOT met'}")  # fmt: skip
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
