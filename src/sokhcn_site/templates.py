"""The Jinja environment: strict, autoescaped, with the portal's date filters."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .dates import format_date, format_short_date

if TYPE_CHECKING:
    import jinja2


def make_environment(folder: Path, base_path: str) -> jinja2.Environment:
    """Templates from `folder`; `url` prefixes site-relative paths with the base path."""
    import jinja2  # here: a build that renders nothing does without it

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = format_date
    env.filters["short_date"] = format_short_date
    env.filters["iso"] = lambda moment: moment.isoformat()
    env.filters["url"] = lambda path: path if "://" in path else base_path + path
    return env
