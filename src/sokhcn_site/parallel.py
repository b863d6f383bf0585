"""Run pure steps in other processes: one over many items on a pool (results in input
order), or one in a forked child while the caller goes on."""

from __future__ import annotations

import contextlib
import gc
import mmap
import os
import pickle
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from .libc import c_function

if TYPE_CHECKING:
    import multiprocessing.context

Item = TypeVar("Item")
Result = TypeVar("Result")
State = TypeVar("State")

# Below this many items a pool costs more to start than it saves.
MIN_ITEMS_PER_WORKER = 64
# Enough chunks per worker that one slow chunk does not leave the others idle at the end...
CHUNKS_PER_WORKER = 8
# ... and small enough that the results waiting for the parent stay small: a chunk of
# rendered pages is ~2.5 MB, and at most WINDOW_PER_WORKER chunks a worker are in flight.
MAX_CHUNK = 100
WINDOW_PER_WORKER = 3

# Set once in each worker process by _install (the executor's initializer), read by _chunk.
_worker: tuple[Callable[..., Any], Any, Sequence[Any]] | None = None


class InChild(Generic[Result]):
    """`step(*args)` computed in a forked process from now on, while this one goes on.

    For a pure step with a small result (it comes back pickled; the arguments are shared by
    the fork), run on the other core, or waiting on the file system: on a thread it would
    fight this process for the interpreter lock. `result()` takes what the child made, or
    runs the step here if the child could not make it (or fork does not exist); `close()`
    ends a child whose result is not wanted. With `fork=False` (a build told to use one
    process) the step runs in result(). Use it as a context manager.
    """

    def __init__(self, step: Callable[..., Result], *args: Any, fork: bool = True) -> None:
        self._step, self._args = step, args
        self._pid, self._file = 0, -1
        if not (fork and _can_fork()):  # the step runs in result()
            return
        file = _result_file()
        pid = _fork(file)
        if pid is None:
            return
        if pid == 0:  # the child: leave the result, then leave without Python's shutdown
            try:
                _leave(file, step(*args))
            finally:
                os._exit(0)
        self._pid, self._file = pid, file

    def result(self) -> Result:
        if self._pid:
            done, value = _taken(self._pid, self._file)
            self._pid, self._file = 0, -1
            if done:
                return cast(Result, value)
        return self._step(*self._args)

    def close(self) -> None:
        if self._pid:
            _end(self._pid)
            self._pid = 0
        if self._file >= 0:
            os.close(self._file)
            self._file = -1

    def __enter__(self) -> InChild[Result]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Ready(Generic[State, Item, Result]):
    """A forked child that makes `setup()` from now on, then waits for items: `send(items)`
    hands it some, and the function it returns gives `step(state, item)` for each.

    For a few items whose setup costs more than their work (modules to import, a converter to
    build) while this process finds out which items there are. Where no child can be forked,
    or the child fails, the step runs here when its results are asked for.
    """

    def __init__(self, step: Callable[[State, Item], Result], setup: Callable[[], State]) -> None:
        self._step, self._setup = step, setup
        self._pid, self._items, self._results = 0, -1, -1
        if not _can_fork():  # the step runs when its results are asked for
            return
        items_read, items_write = os.pipe()
        results = _result_file()
        pid = _fork(items_read, items_write, results)
        if pid is None:
            return
        if pid == 0:
            try:
                os.close(items_write)
                state = setup()
                with os.fdopen(items_read, "rb") as source:
                    items = pickle.load(source)  # EOFError if none are sent: nothing to do
                _leave(results, [step(state, item) for item in items])
            finally:
                os._exit(0)
        os.close(items_read)
        self._pid, self._items, self._results = pid, items_write, results

    def send(self, items: Sequence[Item]) -> Callable[[], list[Result]]:
        """Hand `items` over (once); the function returned gives their results, in order."""
        if self._pid:
            with os.fdopen(self._items, "wb") as sink:
                pickle.dump(list(items), sink, protocol=pickle.HIGHEST_PROTOCOL)
            self._items = -1
        return lambda: self._take(items)

    def _take(self, items: Sequence[Item]) -> list[Result]:
        if self._pid:
            done, value = _taken(self._pid, self._results)
            self._pid, self._results = 0, -1
            if done:
                return cast(list[Result], value)
        state = self._setup()
        return [self._step(state, item) for item in items]

    def close(self) -> None:
        if self._pid:
            _end(self._pid)
            self._pid = 0
        for end in (self._items, self._results):
            if end >= 0:
                os.close(end)
        self._items = self._results = -1

    def __enter__(self) -> Ready[State, Item, Result]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class BothEnds(Generic[Item, Result]):
    """`step(item)` for every item, shared with a forked child that works from the last item
    back, from now on; `results()` works here from the first item on until the two meet,
    then takes the child's (pickled), all in item order.

    For a pure step over many items with small results, when this process has other work
    first: each end does what the other has not, however long that other work takes.
    Where no child can be forked, or with `fork=False`, results() does it all. Use it as a
    context manager.
    """

    def __init__(
        self, step: Callable[[Item], Result], items: Sequence[Item], *, fork: bool = True
    ) -> None:
        self._step, self._items = step, items
        # How far each end has gone, in memory both processes see: [the lowest index the
        # child has taken, the highest this process has]; each writes only its own. Read and
        # written as whole 64-bit items: with struct.pack_into the other process sometimes
        # read a half-written number.
        self._marks = memoryview(mmap.mmap(-1, 16)).cast("q")
        self._marks[0], self._marks[1] = len(items), -1
        self._child = InChild(_from_the_end, step, items, self._marks, fork=fork)

    def results(self) -> list[Result]:
        mine, marks = [], self._marks
        for index, item in enumerate(self._items):
            if index >= marks[0]:
                break  # the child has taken it, and all after it
            marks[1] = index
            mine.append(self._step(item))
        # The child stops before an index this process took, so its first is at most one past
        # this process's last (the one they reached together may be done twice); the loop
        # below only makes sure of that.
        first, theirs = self._child.result()
        mine += [self._step(self._items[index]) for index in range(len(mine), first)]
        return mine[:first] + theirs

    def __enter__(self) -> BothEnds[Item, Result]:
        return self

    def __exit__(self, *exc: object) -> None:
        self._child.close()


def _from_the_end(
    step: Callable[[Item], Result], items: Sequence[Item], marks: memoryview
) -> tuple[int, list[Result]]:
    """BothEnds' child: step over `items` from the last back, until one the parent took."""
    done = []
    index = len(items) - 1
    while index >= 0 and index > marks[1]:
        marks[0] = index
        done.append(step(items[index]))
        index -= 1
    done.reverse()
    return index + 1, done


def _can_fork() -> bool:
    # A process forked while another thread runs may inherit locks that thread holds
    # (`serve` has its server and watcher threads): there, steps run in the caller.
    return hasattr(os, "fork") and threading.active_count() == 1


def _fork(*ends: int) -> int | None:
    """os.fork(), the child deaf to Ctrl-C; None, and `ends` closed, when there is no process
    to spare (EAGAIN, ENOMEM): the caller then runs the step itself."""
    try:
        with _interrupts_held():
            pid = os.fork()
            if pid == 0:
                _ignore_interrupts()
            return pid
    except OSError:
        for end in ends:
            os.close(end)
        return None


def _result_file() -> int:
    """A file with no name, for a child to leave its result in: memory on Linux.

    Not a pipe: through a pipe's 64 KB, a child done long before its result was wanted still
    had to wake up for every 64 KB read (a 1.7 MB result took 20 ms to come over).
    """
    if hasattr(os, "memfd_create"):
        return os.memfd_create("sokhcn-site-result", os.MFD_CLOEXEC)
    import tempfile

    return os.dup(tempfile.TemporaryFile().fileno())


def _leave(file: int, value: Any) -> None:
    """In a child: pickle `value` into its result file (and close it)."""
    with os.fdopen(file, "wb") as sink:
        pickle.dump(value, sink, protocol=pickle.HIGHEST_PROTOCOL)


def _taken(pid: int, file: int) -> tuple[bool, Any]:
    """Wait for child `pid` and read what it left in `file` (closed here): (True, its result),
    or (False, None) if it failed."""
    _, status = os.waitpid(pid, 0)
    with os.fdopen(file, "rb") as source:
        source.seek(0)  # the child's writes moved the offset both share
        data = source.read()
    if os.waitstatus_to_exitcode(status) == 0:
        with contextlib.suppress(Exception):  # not all of it: the child failed
            return True, pickle.loads(data)
    return False, None


def _end(pid: int) -> None:
    """End a child whose result is not wanted."""
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def default_jobs() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _context() -> multiprocessing.context.BaseContext:
    # fork hands the items to the workers without pickling them (the pages share the parent's
    # memory until written); where fork does not exist, spawn pickles them once per worker.
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _install(
    step: Callable[[State, Item], Result], setup: Callable[[], State], items: Sequence[Item]
) -> None:
    global _worker
    _ignore_interrupts()
    _end_with_parent()
    gc.enable()  # forked from a build that may run without it (cli); parsing makes cycles
    _worker = (step, setup(), items)


def _ignore_interrupts() -> None:
    """In a child: Ctrl-C reaches every process of the terminal's group, and a worker that
    died of it halfway through reading its work left the pool waiting for it for ever. The
    parent stops (and ends) its children instead."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _end_with_parent() -> None:
    """In a pool's worker: be killed when the process that made the pool ends, whatever way it
    ends (a worker deaf to Ctrl-C would otherwise wait for work for ever). Linux only."""
    if sys.platform != "linux":
        return
    prctl = c_function("prctl")
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the parent ended before the request was made
        os._exit(1)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C back while children are forked, until each ignores it (_ignore_interrupts);
    this process takes it after: a child that had it before could die of it."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _chunk(start: int, stop: int) -> list[Any]:
    assert _worker is not None, "_install runs first in every worker"
    step, state, items = _worker
    return [step(state, items[index]) for index in range(start, stop)]


def pool_workers(items: int, jobs: int) -> int:
    """How many worker processes pool_map starts for `items` (0 or 1: none, it works here)."""
    return min(jobs, items // MIN_ITEMS_PER_WORKER)


def pool_map(
    step: Callable[[State, Item], Result],
    items: Sequence[Item],
    jobs: int,
    *,
    setup: Callable[[], State],
) -> Iterator[Result]:
    """`step(state, item)` for every item, in order; `setup()` makes each worker's state once.

    `step` and `setup` must be module-level functions (a worker finds them by name) and
    `step` must be pure: then the results are the same whatever `jobs` is.
    """
    workers = pool_workers(len(items), jobs)
    if workers <= 1:
        state = setup()
        for item in items:
            yield step(state, item)
        return
    from concurrent.futures import Future, ProcessPoolExecutor  # only when there is a pool

    size = min(MAX_CHUNK, max(1, -(-len(items) // (workers * CHUNKS_PER_WORKER))))
    bounds = iter([(start, min(start + size, len(items))) for start in range(0, len(items), size)])
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(),
        initializer=_install,
        initargs=(step, setup, items),
    ) as pool:
        # Chunks are handed out as results are taken, not all at once: if the parent is slower
        # (writing files), the workers wait rather than pile finished pages up in its memory.
        try:
            with _interrupts_held():  # the first submit forks the workers
                first = islice(bounds, workers * WINDOW_PER_WORKER)
                waiting: deque[Future[list[Any]]] = deque(pool.submit(_chunk, *c) for c in first)
            while waiting:
                results = waiting.popleft().result()
                following = next(bounds, None)
                if following is not None:
                    waiting.append(pool.submit(_chunk, *following))
                yield from results
        except BaseException:  # Ctrl-C, or the caller stopped: the chunks begun end the pool
            # (wait=False would leave the workers, deaf to Ctrl-C, waiting after this process)
            pool.shutdown(cancel_futures=True)
            raise
