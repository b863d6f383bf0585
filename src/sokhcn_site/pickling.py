"""Pickling of frozen slotted dataclasses at C speed.

The cache loads ~60,000 of them per build, and the process pool moves as many each way.
`dataclass(frozen=True, slots=True)` pickles through `dataclasses.fields()`, called again
for every object: more than half of the time of loading the cache went there.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable, Iterable
from itertools import repeat
from operator import attrgetter, call
from typing import Any, TypeVar

T = TypeVar("T")

_consume: Callable[[Iterable[Any]], None] = deque(maxlen=0).extend


def fast_pickle(cls: type[T]) -> type[T]:
    """Give a frozen slotted dataclass a state that is the tuple of its fields' values."""
    names = tuple(field.name for field in dataclasses.fields(cls))  # type: ignore[arg-type]
    # A slot's descriptor sets it past the frozen class's __setattr__, as __init__ does.
    setters = tuple(cls.__dict__[name].__set__ for name in names)
    values = attrgetter(*names)  # returns a tuple when given two names or more

    def __getstate__(self: Any) -> tuple[Any, ...]:
        state = values(self)
        return state if len(names) > 1 else (state,)

    def __setstate__(self: Any, state: Iterable[Any]) -> None:
        _consume(map(call, setters, repeat(self), state))

    cls.__getstate__ = __getstate__  # type: ignore[method-assign]
    cls.__setstate__ = __setstate__  # type: ignore[attr-defined]
    return cls
