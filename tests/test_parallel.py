"""pool_map: the same results, in the same order, whatever the number of processes."""

import os

from sokhcn_site.parallel import MAX_CHUNK, WINDOW_PER_WORKER, pool_map


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
