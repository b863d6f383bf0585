"""Put a built site in place all at once, or not at all."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic, error
from .libc import c_function
from .model import Output

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int  # files whose bytes are new
    kept: int  # files identical to the previous build, hard-linked with their old mtime


def safe_relative(path: str) -> str:
    """`path` as a relative path that cannot leave the folder it is joined to."""
    parts = path.split("/")
    if not path or path.startswith("/") or "\\" in path or ".." in parts or "" in parts[:-1]:
        raise ValueError(f"refusing to write outside the output folder: {path!r}")
    return path


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        with open(path, "rb") as old:
            return os.fstat(old.fileno()).st_size == len(data) and old.read() == data
    except OSError:
        return False


def _create(path: str, data: bytes) -> None:
    """A new file at `path`, never written into an old one: a stage's files may be hard
    links to the published site's, which must not change before the swap."""
    # Plain strings, not Path: a cold build writes 22,000 files, and pathlib's parsing of
    # every path cost a fifth of the writing.
    try:
        file = open(path, "xb")  # noqa: SIM115 (closed below, whichever open succeeds)
    except FileNotFoundError:  # the first file of its folder
        os.makedirs(os.path.dirname(path), exist_ok=True)
        file = open(path, "xb")  # noqa: SIM115
    except FileExistsError:  # a file the stage's survey did not know of
        os.unlink(path)
        file = open(path, "xb")  # noqa: SIM115
    with file:
        file.write(data)


def _link(old: str, new: str) -> None:
    try:
        os.link(old, new)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(new), exist_ok=True)
        os.link(old, new)


def _inode(path: str) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder that holds one of `paths` (POSIX, relative), the root not included."""
    folders = set()
    for path in paths:
        while "/" in path:
            path = path.rsplit("/", 1)[0]
            if path in folders:
                break
            folders.add(path)
    return folders


@dataclass(frozen=True, slots=True)
class Survey:
    """What a folder holds, by path relative to it: each file (or link) with its inode, and
    each folder."""

    files: dict[str, int]
    folders: frozenset[str]


NOTHING = Survey({}, frozenset())


def survey(folder: Path) -> Survey:
    """Walk `folder`, changing nothing; a folder that is not there (or a link) holds nothing.

    Mostly waiting on the file system (a site of 10,000 articles has 12,000 folders), so a
    build runs it in a child process while it does other work: see pipeline.build.
    """
    if folder.is_symlink() or not folder.is_dir():
        return NOTHING
    files: dict[str, int] = {}
    folders: set[str] = set()
    pending = [(str(folder), "")]
    while pending:
        here, prefix = pending.pop()
        with os.scandir(here) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(name)
                    pending.append((entry.path, name + "/"))
                else:
                    files[name] = entry.inode()
    return Survey(files, frozenset(folders))


def mirror(spare: Path, target: Path, current: Survey | None = None) -> Survey:
    """Make `spare` hold every file of the site in `target` (hard links); return survey(spare).

    The site before last, recycled as the next stage, then differs from the new site only
    where the new one changed. Files that `target` lacks stay: recycling removes what the new
    site lacks. Where links cannot be made, `spare` is only surveyed. `current`: the files of
    the site in `target` (and their inodes), if known; else `target` is walked.
    """
    target = target.resolve() if target.is_symlink() else target.absolute()
    found = survey(spare)
    if spare.is_symlink() or (spare.exists() and not spare.is_dir()) or not target.is_dir():
        return found  # open_stage puts a spare that is not a folder right
    try:
        spare.mkdir(parents=True, exist_ok=True)
    except OSError:  # a cache folder that cannot be written: open_stage stages elsewhere
        return found
    if os.stat(spare).st_dev != os.stat(target).st_dev:
        return found
    current = current if current is not None else survey(target)
    # Whatever is in the way (a file where a folder goes, or the reverse) stays for
    # recycling and the stage to sort out; what is returned is what `spare` holds.
    folders = set(found.folders)
    for folder in sorted(current.folders - folders):  # a folder sorts before what it holds
        with contextlib.suppress(OSError):
            os.mkdir(spare / folder)
            folders.add(folder)
    files = dict(found.files)
    for name, inode in current.files.items():
        if files.get(name) == inode:
            continue
        new = f"{spare}/{name}"
        with contextlib.suppress(OSError):
            if name in files:
                os.unlink(new)
                del files[name]
            os.link(f"{target}/{name}", new, follow_symlinks=False)
            files[name] = inode
    return Survey(files, frozenset(folders))


def _recycle(folder: Path, paths: Collection[str], found: Survey) -> dict[str, int]:
    """Remove from `folder`, which holds `found`, whatever the new site does not have; return
    what stays (inodes)."""
    wanted, kept_folders = set(paths), folders_of(paths) | {""}
    for name in found.folders - kept_folders:
        if _parent(name) in kept_folders:  # the topmost of those that go
            shutil.rmtree(folder / name)
    present: dict[str, int] = {}
    for name, inode in found.files.items():
        if name in wanted:  # and so is its folder
            present[name] = inode
        elif _parent(name) in kept_folders:  # else it went with its folder
            os.unlink(folder / name)
    return present


def _parent(path: str) -> str:
    """The folder of a relative path, "" for the root."""
    return path.rpartition("/")[0]


class Stage:
    """A new site assembled beside the output folder; `commit` swaps it in.

    The folder is either new, or the site before last kept from the previous swap (`spare`):
    recycling it costs a walk and the files that changed, where filling a new folder costs a
    link per file and deleting the old site another.
    """

    def __init__(self, folder: Path, target: Path, present: dict[str, int], spare: bool) -> None:
        self.folder, self.target, self.spare = folder, target, spare
        self._present = present  # files already in the folder -> inode
        # A first build has no current file to compare with: 22,000 failing opens spared.
        self._current = target.is_dir()

    def _paths(self, path: str) -> tuple[str, str]:
        relative = safe_relative(path)
        return f"{self.target}/{relative}", f"{self.folder}/{relative}"

    def _replace(self, path: str, new: str) -> None:
        if self._present.pop(path, None) is not None:
            os.unlink(new)

    def put(self, output: Output) -> bool:
        """Add a file; False when its bytes equal the current one's, which is linked instead."""
        old, new = self._paths(output.path)
        if self._current and _same_bytes(old, output.data):
            try:
                self._adopt(output.path, old, new)
                return False
            except OSError:
                pass  # another file system, or links not allowed: copying is still correct
        self._replace(output.path, new)
        _create(new, output.data)
        return True

    def keep_all(self, kept: Mapping[str, int]) -> None:
        """keep() each path with its inode: most are in the stage already, found at once."""
        present = self._present
        for path, inode in kept.items():
            if present.get(path) != inode:
                self.keep(path, inode)

    def keep(self, path: str, inode: int | None = None) -> None:
        """Add the current output's file (of `inode`, if known) as it is: it is up to date."""
        if inode is not None and self._present.get(path) == inode:
            return  # the stage has that very file already, as most files of a rebuild
        old, new = self._paths(path)
        try:
            self._adopt(path, old, new, inode)
        except OSError:
            with open(old, "rb") as source:
                data = source.read()
            self._replace(path, new)
            _create(new, data)

    def _adopt(self, path: str, old: str, new: str, inode: int | None = None) -> None:
        """Make `new` the very file `old` is, unless it already is."""
        inode = inode or _inode(old)
        if inode is None or self._present.get(path) != inode:
            self._replace(path, new)
            _link(old, new)

    def commit(self) -> None:
        """Put the new site in place; the stage then holds the previous one, if any."""
        if not self.target.exists():
            self.folder.rename(self.target)
        elif not _exchange(self.folder, self.target):
            # Without renameat2 there is a moment with no site at `target`; undo on failure.
            retired = self.folder.with_name(self.folder.name + ".old")
            self.target.rename(retired)
            try:
                self.folder.rename(self.target)
            except BaseException:
                retired.rename(self.target)
                raise
            retired.rename(self.folder)
        if not self.spare:
            shutil.rmtree(self.folder, ignore_errors=True)

    def discard(self) -> None:
        if not self.spare:  # a spare is put right by the next build, whatever it holds
            shutil.rmtree(self.folder, ignore_errors=True)


def open_stage(
    target: Path, paths: Collection[str] = (), spare: Path | None = None,
    found: Survey | None = None,
) -> Stage:  # fmt: skip
    """A stage for a site of `paths`; in `spare` when it is on the output's file system.

    `found` is survey(spare), if it was taken earlier.
    """
    # A linked output (public -> /var/www/site) stays a link: the swap happens at its target.
    target = target.resolve() if target.is_symlink() else target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(target))
    _remove_stale(target)
    if spare is not None:
        with contextlib.suppress(OSError):  # a cache folder it cannot write: stage beside
            return _spare_stage(spare.absolute(), target, paths, found)
    folder = Path(tempfile.mkdtemp(prefix=_staging_prefix(target), dir=target.parent))
    folder.chmod(0o755)  # mkdtemp makes it private; a web server must read the site
    return Stage(folder, target, {}, spare=False)


def _spare_stage(
    spare: Path, target: Path, paths: Collection[str], found: Survey | None
) -> Stage:  # fmt: skip
    """The stage in the spare copy of the site, if it is on the output's file system and can
    be written (OSError if not)."""
    spare.parent.mkdir(parents=True, exist_ok=True)
    if os.stat(spare.parent).st_dev != os.stat(target.parent).st_dev:
        raise OSError(errno.EXDEV, "the spare copy is on another file system", str(spare))
    found = found if found is not None else survey(spare)
    if not spare.is_dir() or spare.is_symlink():
        if spare.is_symlink() or spare.exists():
            spare.unlink()
        spare.mkdir(mode=0o755)
        found = NOTHING
    tempfile.TemporaryFile(dir=spare).close()  # writable? (root's access() says yes to all)
    return Stage(spare, target, _recycle(spare, paths, found), spare=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2); False where that is not available."""
    renameat2 = c_function("renameat2")
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _staging_prefix(target: Path) -> str:
    return f".{target.name}.new-"


def _remove_stale(target: Path) -> None:
    """Drop staging folders a killed build left behind (SIGKILL allows no cleanup)."""
    prefix = _staging_prefix(target)
    for path in target.parent.iterdir():
        if path.name.startswith(prefix) and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def write_site(outputs: Iterable[Output], target: Path) -> WriteStats:
    """Build the new site in a sibling folder, then swap it in; on any failure, drop it.

    Two builds into the same output folder at the same time are not supported: each
    removes the other's staging folder as stale.
    """
    stage = open_stage(target)
    written = kept = 0
    try:
        for output in outputs:
            if stage.put(output):
                written += 1
            else:
                kept += 1
        stage.commit()
    except BaseException:
        stage.discard()
        raise
    return WriteStats(written, kept)


def disk_problem(exc: OSError) -> str:
    """Why the disk refused a write, in words for an editor."""
    # OSError(errno.ENOSPC) with no message leaves `errno` unset: the code is the first arg.
    code = exc.errno if exc.errno is not None else next(iter(exc.args), None)
    full = code in (errno.ENOSPC, errno.EDQUOT)
    return "ổ đĩa đã đầy" if full else (exc.strerror or str(exc) or type(exc).__name__)


def write_failure(target: Path, exc: OSError) -> Diagnostic:
    """What an editor is told when the disk, not the content, stopped the build."""
    reason = disk_problem(exc)
    where = exc.filename or target
    return error(
        str(target), 1,
        f"không ghi được trang web ({reason}: {where}); trang web cũ được giữ nguyên, "
        "hãy giải phóng chỗ trống hoặc sửa quyền ghi rồi xuất bản lại",
    )  # fmt: skip
