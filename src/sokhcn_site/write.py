"""Put a built site in place all at once, or not at all."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import Diagnostic, error
from .model import Output

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int  # files whose bytes are new
    kept: int  # files identical to the previous build, hard-linked with their old mtime


def safe_relative(path: str) -> PurePosixPath:
    """`path` as a relative path that cannot leave the folder it is joined to."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in path:
        raise ValueError(f"refusing to write outside the output folder: {path!r}")
    return pure


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _stage(outputs: Sequence[Output], stage: Path, previous: Path) -> WriteStats:
    written = kept = 0
    for output in outputs:
        relative = safe_relative(output.path)
        destination = stage.joinpath(*relative.parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        old = previous.joinpath(*relative.parts)
        if _same_bytes(old, output.data):
            try:
                os.link(old, destination)
                kept += 1
                continue
            except OSError:
                pass  # another file system, or links not allowed: copying is still correct
        destination.write_bytes(output.data)
        written += 1
    return WriteStats(written, kept)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2); False where that is not available."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _swap_in(stage: Path, target: Path) -> None:
    """Put `stage` at `target`; afterwards `stage` holds the previous site, if any."""
    if not target.exists():
        stage.rename(target)
        return
    if _exchange(stage, target):
        return
    # Without renameat2 there is a moment with no site at `target`; undo on failure.
    retired = stage.with_name(stage.name + ".old")
    target.rename(retired)
    try:
        stage.rename(target)
    except BaseException:
        retired.rename(target)
        raise
    retired.rename(stage)


def _staging_prefix(target: Path) -> str:
    return f".{target.name}.new-"


def _remove_stale(target: Path) -> None:
    """Drop staging folders a killed build left behind (SIGKILL allows no cleanup)."""
    prefix = _staging_prefix(target)
    for path in target.parent.iterdir():
        if path.name.startswith(prefix) and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def write_site(outputs: Sequence[Output], target: Path) -> WriteStats:
    """Build the new site in a sibling folder, then swap it in; on any failure, drop it.

    Two builds into the same output folder at the same time are not supported: each
    removes the other's staging folder as stale.
    """
    # A linked output (public -> /var/www/site) stays a link: the swap happens at its target.
    target = target.resolve() if target.is_symlink() else target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(target))
    _remove_stale(target)
    stage = Path(tempfile.mkdtemp(prefix=_staging_prefix(target), dir=target.parent))
    try:
        stage.chmod(0o755)  # mkdtemp makes it private; a web server must read the site
        stats = _stage(outputs, stage, target)
        _swap_in(stage, target)
    finally:
        # The new site failed, or `stage` now holds the old one: either way it goes.
        shutil.rmtree(stage, ignore_errors=True)
    return stats


def write_failure(target: Path, exc: OSError) -> Diagnostic:
    """What an editor is told when the disk, not the content, stopped the build."""
    # OSError(errno.ENOSPC) with no message leaves `errno` unset: the code is the first arg.
    code = exc.errno if exc.errno is not None else next(iter(exc.args), None)
    full = code in (errno.ENOSPC, errno.EDQUOT)
    reason = "ổ đĩa đã đầy" if full else (exc.strerror or str(exc) or type(exc).__name__)
    where = exc.filename or target
    return error(
        str(target), 1,
        f"không ghi được trang web ({reason}: {where}); trang web cũ được giữ nguyên, "
        "hãy giải phóng chỗ trống hoặc sửa quyền ghi rồi xuất bản lại",
    )  # fmt: skip
