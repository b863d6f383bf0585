"""Turn the benchmark corpus into what each peer tool reads. Never timed.

Pelican: its Markdown reader takes ``Key: value`` metadata, not ``---`` YAML.
We convert rather than use the pelican-yaml-metadata plugin (2.2.0 on PyPI)
because a conversion keeps Pelican on its own, documented reader: the plugin is
a third-party release that must track Pelican's reader API, and PyYAML reads
our ``date: 2020-01-14 09:30`` (no seconds) as a string the plugin would have to
re-parse. Image references get Pelican's ``{static}`` prefix so Pelican
resolves them as our generator does.

Hugo: it reads YAML front matter natively, but Hugo 0.111 silently turns
``date: 2020-01-14 09:30`` into the zero time (0001-01-01, no warning), so such
dates are rewritten as ``2020-01-14T09:30:00`` (Hugo applies the site's
timeZone). Bare dates parse and are kept. Each file also gets its ``slug`` and a
``linktitle`` equal to the slug: Hugo's default order is date desc then link
title, so this makes same-minute ties break by slug as ours do.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

import yaml

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_HERE = Path(__file__).resolve().parent
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_LOCAL_IMAGE = re.compile(r"(!\[[^\]]*\]\()(?!https?://|/|\{)([^)\s]+\))")
_DATE_TIME = re.compile(r"^date: (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})$", re.MULTILINE)


def articles(corpus_root: Path) -> list[Path]:
    """Every article file of a corpus, in a stable order."""
    return sorted((corpus_root / "content").glob("*/*.md"))


def article_key(path: Path) -> tuple[str, str]:
    """(category, slug) of an article file named ``<YYYY-MM-DD>-<slug>.md``."""
    return path.parent.name, path.stem[11:]


def _split(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    match = _FRONT_MATTER.match(text)
    if not match:
        raise ValueError(f"{path}: no YAML front matter")
    return match.group(1), text[match.end() :]


def _copy_images(corpus_root: Path, content: Path) -> None:
    for folder in (corpus_root / "content").glob("*/images"):
        shutil.copytree(folder, content / folder.parent.name / "images", dirs_exist_ok=True)


def _stamp(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def pelican_text(path: Path) -> str:
    """One corpus article as a Pelican Markdown file."""
    head, body = _split(path)
    meta = yaml.load(head, Loader=_Loader)
    lines = [
        f"Title: {meta['title']}",
        f"Date: {_stamp(meta['date'])}",
        f"Slug: {article_key(path)[1]}",
    ]
    for key in ("author", "department", "summary"):
        if meta.get(key):
            lines.append(f"{key.capitalize()}: {meta[key]}")
    return "\n".join(lines) + "\n\n" + _LOCAL_IMAGE.sub(r"\1{static}\2", body)


def hugo_text(path: Path) -> str:
    """One corpus article with front matter Hugo 0.111 reads correctly."""
    head, body = _split(path)
    slug = article_key(path)[1]
    head = _DATE_TIME.sub(r"date: \1T\2:00", head)
    return f"---\n{head}\nslug: {slug}\nlinktitle: {slug}\n---\n{body}"


def to_pelican(corpus_root: Path, dest: Path) -> Path:
    """Write Pelican's content folder under ``dest``; returns it."""
    content = dest / "content"
    _write_articles(corpus_root, content, pelican_text)
    return content


def to_hugo(corpus_root: Path, dest: Path, categories: Sequence[tuple[str, str]]) -> Path:
    """Write a Hugo site under ``dest`` (config, layouts, content); returns ``dest``.

    The config and layouts are copied from bench/peers/hugo so that Hugo's
    lock file and caches land in ``dest``, never in the repository.
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(_HERE / "hugo" / "hugo.toml", dest / "hugo.toml")
    shutil.copytree(_HERE / "hugo" / "layouts", dest / "layouts", dirs_exist_ok=True)
    content = dest / "content"
    for weight, (slug, name) in enumerate(categories, start=1):
        section = content / slug
        section.mkdir(parents=True, exist_ok=True)
        # The weight keeps the menu in declared order, as ours is.
        front = f'---\ntitle: "{name}"\nweight: {weight}\n---\n'
        (section / "_index.md").write_text(front, encoding="utf-8")
    _write_articles(corpus_root, content, hugo_text)
    return dest


def _write_articles(corpus_root: Path, content: Path, text_of: Callable[[Path], str]) -> None:
    """Every article of the corpus, as `text_of` writes it, and its images, under `content`."""
    for path in articles(corpus_root):
        target = content / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text_of(path), encoding="utf-8")
    _copy_images(corpus_root, content)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Convert the benchmark corpus for a peer.")
    parser.add_argument("tool", choices=("pelican", "hugo"))
    parser.add_argument("corpus_root", type=Path)
    parser.add_argument("dest", type=Path)
    args = parser.parse_args(argv)
    if args.tool == "pelican":
        to_pelican(args.corpus_root, args.dest)
    else:
        sys.path.insert(0, str(_HERE.parent))
        from corpus import CATEGORIES

        to_hugo(args.corpus_root, args.dest, CATEGORIES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
