"""Worker processes: independent tasks (a site to plan, a site to scan) run on every core.

Tasks run in processes forked from the build, so each worker inherits what the
build has already loaded (the study, the automaton of names) instead of being
sent a copy of it. Where processes cannot be forked safely (macOS, Windows) or
there is one task or one core, the tasks run one after another in the build's
own process, with the same results.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Callable, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_CONTEXT: Any = None  # what the build gave forked_map, read by the forked workers (set only while they run)


def forked_map(task: Callable[[Any, T], R], items: list[T], context: Any, workers: int | None = None,
               on_done: Callable[[R], None] | None = None) -> list[R]:
    """``[task(context, item) for item in items]``, in worker processes that inherit ``context``.

    Results come back in the order of ``items``; ``on_done`` is called as each finishes. The first task
    to raise stops the rest and its exception is raised here. ``task`` must be a module-level function.
    """
    global _CONTEXT
    workers = min(len(items), workers or os.cpu_count() or 1)
    if workers <= 1 or not can_fork():
        results = []
        for item in items:
            results.append(task(context, item))
            if on_done:
                on_done(results[-1])
        return results
    _CONTEXT = context
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=ignore_interrupts)
    try:
        futures = {pool.submit(_run, task, item): index for index, item in enumerate(items)}
        done: dict[int, R] = {}
        for future in as_completed(futures):
            done[futures[future]] = future.result()
            if on_done:
                on_done(done[futures[future]])
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)  # running workers die with the build (ignore_interrupts)
        raise
    finally:
        _CONTEXT = None
    pool.shutdown()
    return [done[index] for index in range(len(items))]


def _run(task: Callable[[Any, T], R], item: T) -> R:
    return task(_CONTEXT, item)


def can_fork() -> bool:
    # macOS offers fork but its system libraries are not fork-safe once threads have run
    return "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"


def ignore_interrupts() -> None:
    """Set up a worker: only the main process handles Ctrl+C, and the worker dies with it.

    Workers print no tracebacks of their own on Ctrl+C; a file-size limit
    becomes an OSError the main process reports; and on Linux the kernel
    kills the worker when the build process dies, even by ``kill -9``.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _die_with_parent()


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    import signal

    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the build died before the request took hold
        os._exit(1)
