"""Render the pages that changed and put the site in place: staged, then swapped in whole."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from . import cache, records
from .errors import Diagnostic, has_errors
from .model import Output
from .options import BuildOptions, Environment, Progress
from .parallel import pool_map
from .products import Products
from .render import PageJob, RenderFailure, failure_diagnostics, render_page
from .write import Survey, WriteStats, mirror, open_stage


@dataclass(frozen=True, slots=True)
class Checked:
    """What a child process found while the build went on."""

    spare: Survey  # what the spare copy of the site holds, now the current site's files too
    changed: frozenset[str]  # recorded output files not as the last build left them
    damaged: tuple[str, ...]  # the cache's text files that are not as it wrote them


def check_files(spare: Path, output: Path, state: cache.CacheState) -> Checked:
    """The output folder's changes since the last build, the cache's damaged text files, and
    the spare made to hold the current site: the stage recycles it (see write.Stage); after
    a first build, that is 22,000 links."""
    changed = records.changed_outputs(state.outputs, output)
    damaged = cache.damaged_texts(state)
    # The site's files are those the last build recorded, less those changed since: no walk.
    # (One added by hand is not copied into the spare, and the stage leaves it out anyway.)
    current = records.recorded_files(state.outputs, output, changed)
    return Checked(mirror(spare, output, current), changed, damaged)


def copy_site(spare: Path, output: Path) -> None:
    """mirror() for a child whose result is not wanted: nothing to pickle back."""
    mirror(spare, output)


def publish(
    options: BuildOptions, last: records.OutputRecords, products: Products,
    kept: Mapping[str, int], setup: Environment, problems: list[Diagnostic], progress: Progress,
    spare: Survey | None,
) -> tuple[WriteStats | None, list[Diagnostic]]:  # fmt: skip
    """Write what changed since the build that left `last`; None when a page failed to render
    and nothing was written. `spare` is what the spare copy holds, if that is known already."""
    if records.untouched(last, options.output, products.keys, kept):
        return WriteStats(0, len(kept)), problems  # nothing changed: touch nothing
    stats, render_problems = _write(products, kept, options, setup, progress, spare)
    return stats, problems + render_problems


def unwritten(
    options: BuildOptions, environment: Environment, products: Products,
    problems: list[Diagnostic], progress: Progress, made: Mapping[str, bytes],
) -> tuple[list[Output], list[Diagnostic]]:  # fmt: skip
    """The files of a build that writes nothing (check, serve, or content errors), every page
    rendered still, to report template errors and to hand the files to `serve`; and all the
    problems. `made`: files made already from the very same keys (serve's last build), taken
    as they are rather than made again."""
    problems = list(problems)
    outputs = list(products.files)
    outputs += [Output(d.path, made[d.path]) if d.path in made else d.output()
                for d in products.deferred]  # fmt: skip
    pages = products.pages
    outputs += [Output(path, made[path]) for path in pages.paths if path in made]
    todo = [pages[i] for i, path in enumerate(pages.paths) if path not in made]
    outputs += _rendered(todo, options.jobs, environment, problems, progress)
    return outputs, problems


def _rendered(
    jobs: Sequence[PageJob], workers: int, setup: Environment, problems: list[Diagnostic],
    progress: Progress,
) -> Iterator[Output]:  # fmt: skip
    """Render `jobs` in parallel, in order; the template problems join `problems` at the end."""
    failures: list[RenderFailure] = []
    with closing(pool_map(render_page, jobs, workers, setup=setup)) as results:
        for done, result in enumerate(results, 1):
            if isinstance(result, Output):
                yield result
            else:
                failures.append(result)
            progress("render", done, len(jobs))
    problems.extend(failure_diagnostics(failures))


def _write(
    products: Products, kept: Mapping[str, int], options: BuildOptions, setup: Environment,
    progress: Progress, spare: Survey | None,
) -> tuple[WriteStats | None, list[Diagnostic]]:  # fmt: skip
    """Render what changed into a staged copy of the site; swap it in if all went well."""
    problems: list[Diagnostic] = []
    written = 0
    # The site before last, kept by the swap, is recycled as the stage: see write.Stage.
    folder = options.spare if options.use_cache else None
    stage = open_stage(options.output, products.keys, folder, spare)
    try:
        stage.keep_all(kept)
        pages = products.pages
        todo = [pages[i] for i, path in enumerate(pages.paths) if path not in kept]
        with closing(_rendered(todo, options.jobs, setup, problems, progress)) as rendered:
            for output in rendered:  # (closed on Ctrl-C: the pool's workers stop at once)
                written += stage.put(output)
        for output in products.files:
            if output.path not in kept:
                written += stage.put(output)
        for deferred in products.deferred:
            if deferred.path not in kept:
                written += stage.put(deferred.output())
        if has_errors(problems):
            stage.discard()
            return None, problems
        stage.commit()
    except BaseException:
        stage.discard()
        raise
    return WriteStats(written, len(products.keys) - written), problems
