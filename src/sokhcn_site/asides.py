"""Pickle a value with its long byte strings set aside in a second file, read back lazily.

Any bytes value of ASIDE bytes or more comes back as a model.Stored: a field of a value
pickled so (the cache's parse results) that may hold one is typed `bytes | Stored`, and
read with model.bytes_of.
"""

from __future__ import annotations

import io
import pickle
import zlib
from typing import Any

from .model import Stored

# Byte strings this long or longer are set aside: article bodies, search words and excerpts.
# Shorter ones (digests, keys, a record's head) cost less to keep in line than to look up.
ASIDE = 256


def dumps_aside(value: Any) -> tuple[bytes, bytes]:
    """(`value` pickled, the bytes set aside), each long bytes value of `value` named in the
    pickle by its place in the second. A Stored in `value` is read and set aside anew."""
    pickled, aside = io.BytesIO(), io.BytesIO()
    pickler = pickle.Pickler(pickled, protocol=pickle.HIGHEST_PROTOCOL)
    files: dict[str, bytes] = {}  # the files Stored values are in, each read once

    def persistent_id(obj: Any) -> bytes | None:
        kind = type(obj)
        if kind is bytes and len(obj) >= ASIDE:
            data = obj
        elif kind is Stored:
            data = obj.read(files)
        else:
            return None
        return Stored.place_of(aside.tell(), aside.write(data), zlib.crc32(data))

    pickler.persistent_id = persistent_id  # type: ignore[method-assign]
    pickler.dump(value)
    return pickled.getvalue(), aside.getvalue()


def loads_aside(pickled: bytes | memoryview, aside_path: str) -> Any:
    """What dumps_aside pickled, with each bytes value set aside as a Stored in `aside_path`.

    Nothing of that file is read here; model.Stored.read checks what it reads.
    """
    unpickler = pickle.Unpickler(io.BytesIO(pickled))

    def persistent_load(place: bytes) -> Stored:
        return Stored(aside_path, place)

    unpickler.persistent_load = persistent_load  # type: ignore[assignment]
    return unpickler.load()
