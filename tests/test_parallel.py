"""Work in other processes: the same results, in the same order, whichever process works."""

import os
import threading
import time

import pytest

from sokhcn_site.parallel import (
    MAX_CHUNK,
    WINDOW_PER_WORKER,
    BothEnds,
    InChild,
    Ready,
    pool_map,
)


@pytest.fixture(autouse=True)
def _no_other_thread():
    """Processes fork only without other threads (parallel._can_fork): one left by an earlier
    test would make these run in this process, and some pass for the wrong reason."""
    assert threading.enumerate() == [threading.main_thread()]


def _square_with_worker(offset: int, item: int) -> tuple[int, int]:
    return item * item + offset, os.getpid()


def _offset() -> int:
    return 7


def test_many_chunks_come_back_in_order_from_several_processes():
    items = list(range(MAX_CHUNK * WINDOW_PER_WORKER * 2 * 3 + 17))  # more chunks than the window
    results = list(pool_map(_square_with_worker, items, 2, setup=_offset))
    assert [value for value, _ in results] == [n * n + 7 for n in items]
    assert os.getpid() not in {pid for _, pid in results}  # a pool did the work


def test_one_job_runs_in_this_process():
    results = list(pool_map(_square_with_worker, list(range(300)), 1, setup=_offset))
    assert {pid for _, pid in results} == {os.getpid()}


def _fail() -> None:
    raise OSError(13, "không được phép")


def test_in_child_runs_the_step_in_another_process():
    with InChild(os.getpid) as child:
        assert child.result() != os.getpid()


def test_in_child_reports_a_failing_step_as_if_run_here():
    with InChild(_fail) as child, pytest.raises(OSError, match="không được phép"):
        child.result()


def test_in_child_without_fork_runs_the_step_when_asked(monkeypatch):
    monkeypatch.delattr(os, "fork")
    with InChild(os.getpid) as child:
        assert child.result() == os.getpid()


def test_in_child_does_not_fork_a_process_with_other_threads():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with InChild(os.getpid) as child:
            assert child.result() == os.getpid()
    finally:
        stop.set()
        thread.join()


def test_in_child_when_fork_fails_runs_the_step_when_asked(monkeypatch):
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    with InChild(os.getpid) as child:
        assert child.result() == os.getpid()


def test_an_unwanted_child_is_ended_and_reaped():
    with InChild(time.sleep, 30) as child:
        pid = child._pid
        assert pid > 0
        os.kill(pid, 0)  # a child, running
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # already reaped: no zombie left behind


def _slow_square(item: int) -> tuple[int, int]:
    time.sleep(0.002)
    return item * item, os.getpid()


@pytest.mark.parametrize("count", [0, 1, 2, 3, 150])
def test_both_ends_meet_and_every_item_comes_back_once_in_order(count):
    with BothEnds(_slow_square, list(range(count))) as shared:
        results = shared.results()
    assert [value for value, _ in results] == [n * n for n in range(count)]


def test_both_ends_share_the_work_when_this_process_comes_late():
    with BothEnds(_slow_square, list(range(200))) as shared:
        time.sleep(0.1)  # other work first: the child has done the last fifty or so by now
        results = shared.results()
    pids = [pid for _, pid in results]
    assert [value for value, _ in results] == [n * n for n in range(200)]
    assert pids[0] == os.getpid() and pids[-1] != os.getpid()
    assert pids == sorted(pids, key=lambda pid: pid != os.getpid())  # one run each: ours first


def test_both_ends_without_fork_does_it_all_here(monkeypatch):
    monkeypatch.delattr(os, "fork")
    with BothEnds(_slow_square, list(range(20))) as shared:
        results = shared.results()
    assert results == [(n * n, os.getpid()) for n in range(20)]


def _with_pid(offset: int, item: int) -> tuple[int, int]:
    return item + offset, os.getpid()


def test_ready_sets_up_in_a_child_and_steps_over_what_it_is_sent_later():
    with Ready(_with_pid, _offset) as ready:
        take = ready.send([1, 2, 3])
        results = take()
    assert [value for value, _ in results] == [8, 9, 10]
    assert os.getpid() not in {pid for _, pid in results}


def test_ready_without_fork_steps_here(monkeypatch):
    monkeypatch.delattr(os, "fork")
    with Ready(_with_pid, _offset) as ready:
        assert ready.send([5])() == [(12, os.getpid())]


def _refuse(offset: int, item: int) -> int:
    raise OSError(13, "không được phép")


def test_ready_reports_a_failing_step_as_if_run_here():
    with Ready(_refuse, _offset) as ready, pytest.raises(OSError, match="không được phép"):
        ready.send([1])()


def test_a_ready_child_never_sent_anything_is_ended_and_reaped():
    with Ready(_with_pid, _offset) as ready:
        pid = ready._pid
        assert pid > 0
        os.kill(pid, 0)  # a child, running
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)
