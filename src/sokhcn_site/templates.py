"""The Jinja environment: strict, autoescaped, with the portal's date filters."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .config import is_address
from .dates import format_date, format_short_date
from .keys import digest
from .markup import print_addresses
from .model import Source

if TYPE_CHECKING:
    import jinja2


# The static files pages link to, whose URLs carry a version (see asset_versions).
_VERSIONED = (".css", ".js")


def asset_versions(static: Iterable[Source]) -> dict[str, str]:
    """The version of each style sheet and script of static/, by its path in the site: the
    start of its digest. Not of images and other files: every page's render key holds these,
    and a new picture in static/ must not re-render the site."""
    return {f"static/{s.rel}": s.digest.hex()[:10] for s in static if s.rel.endswith(_VERSIONED)}


def make_environment(
    folder: Path, base_path: str, compiled: Path | None = None,
    versions: Mapping[str, str] | None = None,
) -> jinja2.Environment:  # fmt: skip
    """Templates from `folder`; `url` prefixes site-relative paths with the base path, and
    `asset` does too, adding the file's version from `versions` (asset_versions) if it has one.

    `compiled`: a folder to keep the templates' compiled code in for later builds (a rebuild
    rendering one page spent 15 ms compiling its templates), as compiled_folder names it.
    """
    import jinja2  # here: a build that renders nothing does without it

    cache = None
    if compiled is not None and _folder_ready(compiled):
        cache = jinja2.FileSystemBytecodeCache(str(compiled))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        bytecode_cache=cache,
        # A build renders with the templates its render keys were made from: checking each
        # file's time again at every page took 2 % of a cold build (12,000 get_template calls).
        auto_reload=False,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = format_date
    env.filters["short_date"] = format_short_date
    env.filters["iso"] = lambda moment: moment.isoformat()
    env.filters["url"] = lambda path: path if is_address(path) else base_path + path
    env.filters["print_addresses"] = print_addresses
    known = versions or {}

    # A browser keeps a style sheet or script for a while; the page asks for the version it
    # was built with, so a deploy that changes one is seen at once. pass_context keeps Jinja
    # from baking the URL into the compiled templates, which outlive a version.
    @jinja2.pass_context
    def asset(context: jinja2.runtime.Context, path: str) -> str:
        version = known.get(path)
        return f"{base_path}{path}?v={version}" if version else base_path + path

    env.filters["asset"] = asset
    return env


def _folder_ready(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # compiled anew each time, then
        return False
    return True


def compiled_folder(root: Path, code: bytes, base_path: str) -> Path:
    """The folder under `root` for the templates' code compiled by this `code` (its stamp) for
    this base path. Jinja checks each template's source and its own version, not the settings
    of make_environment, and its optimizer bakes the result of a filter on a constant into the
    code ("rss.xml" | url becomes "/sub/rss.xml")."""
    return root / digest(code + base_path.encode()).hex()[:16]


def drop_other_compiled(folder: Path) -> None:
    """Remove the code compiled into folders beside `folder`: for other code or base paths."""
    if folder.parent.is_dir():
        for other in folder.parent.iterdir():
            if other != folder:
                shutil.rmtree(other, ignore_errors=True)
