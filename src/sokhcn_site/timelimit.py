"""A bound on the CPU time of one step, for input that makes a library crawl.

Python-Markdown takes quadratic time on some bodies (thousands of unclosed "[a](", lists
nested hundreds deep): one such file would hold a build for hours.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class TimeUp(Exception):
    """The step used up its CPU time."""


def _expire(signum: int, frame: FrameType | None) -> None:
    raise TimeUp


@contextmanager
def cpu_time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeUp in the block once this process has spent `seconds` of CPU time in it.

    CPU time rather than wall time: a busy machine must not fail a build. Where there is no
    such timer (Windows) or no signal can be had (off the main thread), the block runs
    without a limit; builds parse in a main thread, theirs or a worker process's.
    """
    try:
        previous = signal.signal(signal.SIGVTALRM, _expire)
    except (AttributeError, ValueError):
        yield
        return
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)
