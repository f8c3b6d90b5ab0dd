"""Independent solves of the robust studies run here, on local worker processes (spawned: a forked child
would not get HiGHS's scheduler threads) or on a Dask cluster, as the sweep runner does."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any


class Pool:
    """`pool.map(fn, items)` = [fn(x) for x in items], in this process (workers 1), on `workers` local
    processes (started once, at the first map that needs them) or on the Dask cluster of `scheduler` (an
    address or a distributed.Client); `fn` must be a module-level function. Use as a context manager."""

    def __init__(self, workers: int = 1, scheduler: Any = None):
        self.workers, self.scheduler = workers, scheduler
        self._ex: ProcessPoolExecutor | None = None
        self._client = None
        self._own_client = False

    @property
    def local(self) -> bool:
        """True when every task runs in this process."""
        return self.workers <= 1 and self.scheduler is None

    def map(self, fn: Callable, items: Sequence) -> list:
        if self.scheduler is not None:
            if self._client is None:
                from distributed import Client

                self._own_client = not isinstance(self.scheduler, Client)
                self._client = Client(self.scheduler) if self._own_client else self.scheduler
            return self._client.gather(self._client.map(fn, list(items), pure=False))
        if self.workers <= 1 or len(items) <= 1:
            return [fn(x) for x in items]
        if self._ex is None:
            self._ex = ProcessPoolExecutor(max_workers=self.workers, mp_context=mp.get_context("spawn"))
        return list(self._ex.map(fn, items))

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc) -> None:
        if self._ex is not None:
            self._ex.shutdown()
        if self._own_client:  # a client made here from an address is closed here (it would outlive its cluster)
            self._client.close()
