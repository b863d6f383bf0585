"""What a build is asked to do, and the kinds of callback its steps are handed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .parallel import default_jobs

if TYPE_CHECKING:
    import jinja2


@dataclass(frozen=True, slots=True)
class BuildOptions:
    content: Path = Path("content")
    templates: Path = Path("templates")
    static: Path = Path("static")
    config: Path = Path("site.yaml")
    output: Path = Path("public")
    base_url: str | None = None
    drafts: bool = False
    cache_dir: Path = Path(".cache")
    offline: bool = False  # partner feeds come from the cache only
    preview: bool = False  # `serve`: mark drafts and future articles on their pages
    use_cache: bool = True  # parse results and render keys in cache_dir/build/
    jobs: int = field(default_factory=default_jobs)  # processes the build may use (1: no other)

    @property
    def fork(self) -> bool:
        """Whether steps may share their work with another process."""
        return self.jobs > 1

    @property
    def spare(self) -> Path:
        """The site before last, kept by the swap for the next build's stage (write.Stage)."""
        return self.cache_dir / "spare-output"


# Makes the Jinja environment of a build, once in each process that renders.
Environment = Callable[[], "jinja2.Environment"]

# Told (step, done, total) as a long step works through its items; the CLI draws a bar with it.
Progress = Callable[[str, int, int], None]


def no_progress(step: str, done: int, total: int) -> None:
    pass
