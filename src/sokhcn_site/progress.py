"""How a long build shows its progress: a bar on a terminal, plain lines in CI or a log."""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from tqdm import tqdm

# Small sites build in a blink; a bar would only flicker.
THRESHOLD = 300
_STEPS = {"parse": ("Đọc bài viết", "tệp"), "render": ("Tạo trang HTML", "trang")}


def is_interactive(stream: TextIO) -> bool:
    """A person watching a terminal, not CI (which sets `CI`) nor a redirected log."""
    return stream.isatty() and not os.environ.get("CI")


class ProgressDisplay:
    """A `options.Progress` callback; use it as a context manager so the bar is closed."""

    def __init__(self, stream: TextIO, *, enabled: bool = True, threshold: int = THRESHOLD) -> None:
        self.stream = stream
        self.enabled = enabled
        self.threshold = threshold
        self.interactive = is_interactive(stream)
        self._step = ""
        self._bar: tqdm | None = None

    def __call__(self, step: str, done: int, total: int) -> None:
        if not self.enabled or total < self.threshold:
            return
        if step != self._step:
            self.close()
            self._step = step
            label, unit = _STEPS.get(step, (step, "tệp"))
            if self.interactive:
                from tqdm import tqdm  # a terminal's bar only: CI and logs skip the import

                size = shutil.get_terminal_size()
                self._bar = tqdm(
                    total=total,
                    desc=label,
                    unit=f" {unit}",
                    file=self.stream,
                    leave=False,
                    # A terminal that reports no size (0x0) would otherwise hide the bar.
                    ncols=size.columns,
                    nrows=size.lines,
                )
            else:
                print(f"{label}: {total} {unit}", file=self.stream, flush=True)
        if self._bar is not None:
            self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> ProgressDisplay:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
