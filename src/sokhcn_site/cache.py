"""The build cache on disk: parse results by content key, and what each output file holds.

Layout of `<cache-dir>/build/`: `index` names every other file with the digest of its
contents, the keys each parse shard holds and the stamp of the code that wrote them;
`parse-XX` hold parse results (and the search index's blocks), spread over shards so that
editing one article rewrites one small file, and `text-XX` beside each the long byte
strings of its results (bodies, search words), read one by one when needed (see asides.py
and model.Stored), as a rebuild renders few pages; `outputs` the records of the output
folder last written (see records.py); `sources` the stamp and digest of every input file,
so that the next build reads only the files that changed.

Every file but the text files is framed with a digest of its contents; the index holds
the text files' digests and stamps (a build that writes checks, meanwhile, any whose stamp
changed: see `damaged_texts`), and each stored string has its own digest, checked as it is
read. Anything that does not check out -- a missing or extra file, garbage, a truncated
file, another version of the code -- makes the whole cache count as empty, with one
warning (found only once a build is under way, it builds again without it): the build is
then slower, never wrong.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import platform
import re
import sys
import tempfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .asides import dumps_aside, loads_aside
from .errors import Diagnostic, warning
from .keys import digest, tree_digest
from .model import SourceStamp, stamp_of
from .records import NO_OUTPUTS, OutputRecords
from .write import disk_problem

if TYPE_CHECKING:
    from .discover import KnownDigests

FORMAT = 7
_MAGIC = b"sokhcn-site cache\n"
_CHECK_SIZE = 12  # CRC-32 and length of the payload: catches truncation and garbage
_INDEX = "index"
_LOCK = "build.lock"  # beside build/, not in it: saving clears build/ of what it did not write
_OUTPUTS = "outputs"
_SOURCES = "sources"
_SHARD_PREFIX = "parse-"
_TEXT_PREFIX = "text-"
_SHARDS = 64
# The libraries whose output ends up in the site: a new version may render differently.
_LIBRARIES = ("markdown", "nh3", "jinja2", "feedgen", "python-slugify", "pyyaml")


@dataclass(frozen=True, slots=True)
class CacheState:
    outputs: OutputRecords = NO_OUTPUTS
    # What is on disk now, so that saving rewrites only the files that change.
    files: Mapping[str, bytes] = field(default_factory=dict)  # name -> checksum
    folder: str = ""
    # The parse keys each shard holds, as the index says: which files need parsing is known
    # before any shard is read, so their texts can be let go first.
    shard_keys: Mapping[str, frozenset[bytes]] = field(default_factory=dict)
    sources: KnownDigests = field(default_factory=dict)
    # Each text file's size, times and inode when it was written: see damaged_texts.
    text_stamps: Mapping[str, SourceStamp] = field(default_factory=dict)

    @property
    def parse_keys(self) -> frozenset[bytes]:
        return frozenset().union(*self.shard_keys.values())


@dataclass(frozen=True, slots=True)
class ParseCache:
    results: Mapping[bytes, Any] = field(default_factory=dict)  # parse key -> parse result
    shards: Mapping[str, frozenset[bytes]] = field(default_factory=dict)  # name -> keys


class _Damaged(Exception):
    """A cache file that cannot be trusted; the message says which and why."""


@contextmanager
def held(cache_dir: Path) -> Iterator[None]:
    """The cache folder, for this build alone until the block ends: two builds at once that
    shared it each staged their site in the other's spare copy and recorded the other's
    files, and both published a mix. A second build waits for the first.

    Without a folder to lock (it cannot be made: the build then keeps no cache) or where
    there is no flock, the block runs as it is.
    """
    try:
        import fcntl

        cache_dir.mkdir(parents=True, exist_ok=True)
        handle = os.open(cache_dir / _LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except (ImportError, OSError):
        handle = -1
    if handle < 0:
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # which lets go of the lock


def code_stamp() -> bytes:
    """Changes whenever the code that parses and renders may produce something else."""
    package = Path(__file__).resolve().parent
    found = _installed_versions()
    libraries = [f"{name}={found.get(_normal(name)) or _version(name)}" for name in _LIBRARIES]
    text = f"{FORMAT} {__version__} {platform.python_version()} {' '.join(libraries)}"
    return digest(text.encode() + tree_digest(package, "*.py"))


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _installed_versions() -> dict[str, str]:
    """Each installed distribution's version, by normalised name, as the names of the metadata
    folders on sys.path tell it ("jinja2-3.1.6.dist-info"): importing importlib.metadata to
    read it costs 20 ms of every build's start."""
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            stem, dot, suffix = name.rpartition(".")
            if dot and suffix in ("dist-info", "egg-info") and "-" in stem:
                project, version = stem.split("-")[:2]
                found.setdefault(_normal(project), version)  # the first on sys.path is imported
    return found


def _version(name: str) -> str:
    """The version of a distribution the folder names did not tell (or "-": not installed)."""
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def _checksum(payload: bytes | memoryview) -> bytes:
    return zlib.crc32(payload).to_bytes(4, "big") + len(payload).to_bytes(8, "big")


def _frame(payload: bytes) -> bytes:
    return _MAGIC + _checksum(payload) + payload


def _unframe(path: Path) -> tuple[bytes, memoryview]:
    """(checksum, payload) of a cache file whose checksum holds, or _Damaged.

    The payload is a view: copying 100 MB of parse results cost a twentieth of a rebuild.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _Damaged(f"thiếu tệp {path.name}") from None
    except OSError as exc:
        raise _Damaged(f"không đọc được {path.name}: {exc.strerror}") from None
    head = len(_MAGIC)
    stored, payload = data[head : head + _CHECK_SIZE], memoryview(data)[head + _CHECK_SIZE :]
    if not data.startswith(_MAGIC) or _checksum(payload) != stored:
        raise _Damaged(f"tệp {path.name} bị hỏng")
    return stored, payload


def _loads(name: str, payload: memoryview) -> Any:
    try:
        return pickle.loads(payload)
    except Exception:  # a payload that passed its checksum but was written by other code
        raise _Damaged(f"tệp {name} không đọc được") from None


def unusable(folder: str, why: object) -> Diagnostic:
    """The one line that says the cache was ignored, and why."""
    return warning(folder, 1, f"bộ nhớ đệm không dùng được ({why}); đã bỏ qua, dựng lại toàn bộ")


def interrupted(folder: str) -> Diagnostic:
    """The line that says Ctrl-C stopped the saving of the cache, after the site was out."""
    return warning(folder, 1, "đã dừng (Ctrl-C) khi đang lưu bộ nhớ đệm, sau khi trang web mới "
                              "đã được xuất bản; lần dựng sau có thể chậm hơn")  # fmt: skip


def unsaved(folder: str, exc: OSError) -> Diagnostic:
    """The one line that says the cache could not be written, and why."""
    why = disk_problem(exc)
    return warning(folder, 1, f"không ghi được bộ nhớ đệm ({why}); trang web vẫn đúng, "
                              "nhưng lần dựng sau có thể chậm hơn")  # fmt: skip


def _shard(key: bytes) -> str:
    return f"{_SHARD_PREFIX}{key[0] % _SHARDS:02d}"


def _text(shard: str) -> str:
    return _TEXT_PREFIX + shard.removeprefix(_SHARD_PREFIX)


def _ours(name: str) -> bool:
    prefixes = (_SHARD_PREFIX, _TEXT_PREFIX, ".tmp")
    return name in (_INDEX, _OUTPUTS, _SOURCES) or name.startswith(prefixes)


def load(folder: Path | None, stamp: bytes) -> tuple[CacheState, list[Diagnostic]]:
    """The cache in `folder`, or an empty one (and a warning if it was there but unusable)."""
    if folder is None or not folder.is_dir() or not any(_ours(p.name) for p in folder.iterdir()):
        return CacheState(), []
    try:
        _, payload = _unframe(folder / _INDEX)
        index = _loads(_INDEX, payload)
        if not isinstance(index, dict) or index.get("format") != FORMAT:
            raise _Damaged("định dạng khác")
        if index.get("stamp") != stamp:
            raise _Damaged("được tạo bởi một phiên bản khác của chương trình")
        files, shard_keys = dict(index["files"]), dict(index["keys"])
        shards = {name for name in files if name.startswith(_SHARD_PREFIX)}
        texts = {name for name in files if name.startswith(_TEXT_PREFIX)}
        if shard_keys.keys() != shards or texts != {_text(name) for name in shards}:
            raise _Damaged("mục lục không khớp với các tệp")
        outputs = (
            _loads(_OUTPUTS, _checked(folder, _OUTPUTS, files)) if _OUTPUTS in files else NO_OUTPUTS
        )
        sources = _loads(_SOURCES, _checked(folder, _SOURCES, files)) if _SOURCES in files else {}
        # The parse shards are read by parse_results: a build where nothing changed needs none.
    except _Damaged as exc:
        return CacheState(), [unusable(str(folder), exc)]
    stamps = index.get("texts", {})
    return CacheState(outputs, files, str(folder), shard_keys, sources, stamps), []


def forget_parsed(state: CacheState) -> CacheState:
    """`state` without its parse results and source digests: every file is read and parsed."""
    parsed = (_SHARD_PREFIX, _TEXT_PREFIX)
    files = {name: check for name, check in state.files.items() if not name.startswith(parsed)}
    return dataclasses.replace(state, files=files, shard_keys={}, sources={})


def _checked(folder: Path, name: str, files: Mapping[str, bytes]) -> memoryview:
    """The payload of cache file `name`, if it is the one the index names."""
    found, payload = _unframe(folder / name)
    if found != files[name]:
        raise _Damaged(f"tệp {name} không khớp với mục lục")
    return payload


def parse_results(state: CacheState) -> tuple[ParseCache, list[Diagnostic]]:
    """The cached parse results; none (and a warning) if a shard cannot be read."""
    results: dict[bytes, Any] = {}
    shards: dict[str, frozenset[bytes]] = {}
    folder = Path(state.folder)
    try:
        # One shard at a time, so that only one shard's bytes are held beside the results.
        for name in sorted(n for n in state.files if n.startswith(_SHARD_PREFIX)):
            text = folder / _text(name)
            stamp = _text_stamp(text)
            if stamp is None or stamp[0] != _length(state.files[text.name]):
                raise _Damaged(f"tệp {text.name} bị hỏng")
            try:
                entries = loads_aside(_checked(folder, name, state.files), str(text))
            except Exception:  # a payload that passed its checksum but was written by other code
                raise _Damaged(f"tệp {name} không đọc được") from None
            shards[name] = frozenset(entries)
            if shards[name] != state.shard_keys[name]:
                raise _Damaged(f"tệp {name} không khớp với mục lục")
            results.update(entries)
    except _Damaged as exc:
        return ParseCache(), [unusable(state.folder, exc)]
    return ParseCache(results, shards), []


def _length(checksum: bytes) -> int:
    return int.from_bytes(checksum[4:], "big")


def _text_stamp(path: Path) -> SourceStamp | None:
    try:
        return stamp_of(path.stat())
    except OSError:
        return None


def damaged_texts(state: CacheState) -> tuple[str, ...]:
    """The text files whose bytes are not the ones the index names, as a build that writes
    checks on the other core (Stored.read checks only what it reads). A file is read in full
    only if its size, times or inode are not those it was written with: any write changes
    its ctime, which no tool sets back."""
    damaged = []
    for name in sorted(n for n in state.files if n.startswith(_TEXT_PREFIX)):
        path = Path(state.folder) / name
        stamp = state.text_stamps.get(name)
        if stamp is not None and _text_stamp(path) == tuple(stamp):
            continue
        try:
            data = path.read_bytes()
        except OSError:
            data = None
        if data is None or _checksum(data) != state.files[name]:
            damaged.append(name)
    return tuple(damaged)


def _write(folder: Path, name: str, value: Any) -> bytes:
    """Write one framed file atomically; return its digest."""
    return _write_payload(folder, name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _write_payload(folder: Path, name: str, payload: bytes, framed: bool = True) -> bytes:
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    with os.fdopen(handle, "wb") as sink:
        sink.write(_frame(payload) if framed else payload)
    os.replace(temporary, folder / name)
    return _checksum(payload)


def _write_shard(folder: Path, name: str, entries: Mapping[bytes, Any]) -> dict[str, bytes]:
    """Write a parse shard and its text file; return both files' digests."""
    # The text file first: a shard is never written before the strings it names.
    pickled, aside = dumps_aside(entries)
    text = _write_payload(folder, _text(name), aside, framed=False)
    return {_text(name): text, name: _write_payload(folder, name, pickled)}


def save(
    folder: Path, stamp: bytes, old: CacheState, old_parsed: ParseCache,
    parsed: Mapping[bytes, Any], outputs: OutputRecords, sources: KnownDigests,
) -> None:  # fmt: skip
    """Store this build's parse results and output records; files that did not change stay."""
    folder.mkdir(parents=True, exist_ok=True)
    by_shard: dict[str, dict[bytes, Any]] = {}
    for key, value in parsed.items():
        by_shard.setdefault(_shard(key), {})[key] = value
    files: dict[str, bytes] = {}
    stamps: dict[str, SourceStamp | None] = {}
    for name, entries in sorted(by_shard.items()):
        text = _text(name)
        if old_parsed.shards.get(name) == frozenset(entries) and name in old.files:
            files |= {name: old.files[name], text: old.files[text]}
            stamps[text] = old.text_stamps.get(text)
        else:
            files |= _write_shard(folder, name, entries)
            stamps[text] = _text_stamp(folder / text)
    same = outputs == old.outputs and _OUTPUTS in old.files
    files[_OUTPUTS] = old.files[_OUTPUTS] if same else _write(folder, _OUTPUTS, outputs)
    same = sources == old.sources and _SOURCES in old.files
    files[_SOURCES] = old.files[_SOURCES] if same else _write(folder, _SOURCES, dict(sources))
    keys = {name: frozenset(entries) for name, entries in by_shard.items()}
    if files != old.files or keys != old.shard_keys or stamps != old.text_stamps:
        index = {"format": FORMAT, "stamp": stamp, "files": files, "keys": keys, "texts": stamps}
        _write(folder, _INDEX, index)
    for path in folder.iterdir():
        if _ours(path.name) and path.name != _INDEX and path.name not in files:
            path.unlink(missing_ok=True)
