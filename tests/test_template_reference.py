"""The README's reference for maintainers who write their own templates ("Your own templates")
against what a real build hands each template: a name added, removed or renamed in render.py,
or an attribute renamed in the model, fails here until the README says so too."""

import re
from collections.abc import Iterator
from typing import Any

import jinja2
import pytest
from conftest import ROOT, Result, article

from sokhcn_site import model, partners, render, sharing

SECTION = "### Your own templates"
# The header rows of the section's three tables, which the tests read.
RECEIVED = ["template", "renders", "names it receives"]
MEANINGS = ["name", "meaning"]
TYPES = ["type", "given as", "main attributes"]

# What the partner feed of the site built here answers, without a network.
PARTNER_RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>MOST</title><link>https://most.test/</link>
<item><title>Tin</title><link>https://most.test/tin</link>
  <pubDate>Tue, 14 Jan 2020 09:00:00 +0700</pubDate></item>
</channel></rss>"""


def _section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n{SECTION}\n") + 1
    end = re.compile(r"^#{1,3} ", re.MULTILINE).search(text, start + len(SECTION))
    return text[start : end.start() if end else len(text)]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().removeprefix("|").removesuffix("|").split("|")]


def _table(header: list[str]) -> list[list[str]]:
    """The rows of the section's table with this header row, each its cells."""
    lines = _section().splitlines()
    starts = [n for n, line in enumerate(lines) if line.startswith("|") and _cells(line) == header]
    assert len(starts) == 1, f"README: {SECTION} needs one table headed {header}"
    rows = []
    for line in lines[starts[0] + 2 :]:  # past the header and its |---| line
        if not line.startswith("|"):
            break
        cells = _cells(line)
        assert len(cells) == len(header), f"README: a row of {header} is not {len(header)} cells"
        rows.append(cells)
    return rows


def _code(cell: str) -> list[str]:
    """The `code` spans of a cell, in order."""
    return re.findall(r"`([^`]+)`", cell)


def _one_name(cell: str) -> str:
    [name] = _code(cell)
    assert cell == f"`{name}`", f"README: the first cell {cell!r} should be one `name`"
    return name


def documented_names() -> dict[str, set[str]]:
    """The names each template receives, by template, as the README lists them."""
    documented: dict[str, set[str]] = {}
    for template, _, names in _table(RECEIVED):
        listed = [piece.strip() for piece in names.split(",")]
        assert all(re.fullmatch(r"`\w+`", piece) for piece in listed), names
        documented[_one_name(template)] = {piece.strip("`") for piece in listed}
    return documented


def documented_attributes() -> dict[str, tuple[list[str], list[str]]]:
    """By type: the names the README gives it as, and its attributes it lists. An attribute
    may be followed by what it is in parentheses, and the list may join two by "and"."""
    types = {}
    for kind, given, attributes in _table(TYPES):
        bare = re.sub(r"\s*\([^()]*\)", "", attributes)  # what each is, in parentheses
        pieces = [piece.strip() for piece in re.split(r",| and ", bare)]
        assert all(re.fullmatch(r"`\w+`", piece) for piece in pieces), attributes
        types[_one_name(kind)] = (_code(given), [piece.strip("`") for piece in pieces])
    return types


def _class(name: str) -> type:
    """The type of the build the README names (made in model, render or sharing)."""
    made = [(module.__name__, getattr(module, name, None)) for module in (model, render, sharing)]
    found = [value for home, value in made if getattr(value, "__module__", None) == home]
    assert len(found) == 1 and isinstance(found[0], type), f"README: no type {name} in the build"
    return found[0]


def _built_contexts(
    make_site, monkeypatch: pytest.MonkeyPatch
) -> tuple[Result, list[tuple[str, dict]]]:
    """The one-process build of a small site that has each kind of page and a partner feed,
    and every page template it rendered with the names and values it handed it."""
    files = {
        f"content/{cat}/2020-01-{n:02}-bai-{n}.md": article(
            f"Bài {n}", f"2020-01-{n:02}", author="Lê Văn B", tags=["đo lường"]
        )
        for n, cat in enumerate(("tin", "tin", "tin", "khoa-hoc"), 1)
    }
    files["content/pages/gioi-thieu.md"] = "---\ntitle: Giới thiệu\n---\nVề Sở.\n"
    feeds = [{"name": "Bộ Khoa học và Công nghệ", "url": "https://most.test/rss"}]
    categories = {"tin": "Tin tức", "khoa-hoc": "Khoa học"}
    site = make_site(files, {"page_size": 2, "categories": categories, "partner_feeds": feeds})
    # The feed is fetched and parsed as in any build, but for the network.
    monkeypatch.setattr(partners, "_download", lambda url, timeout, deadline: PARTNER_RSS)
    rendered: list[tuple[str, dict]] = []
    real = jinja2.Template.render

    def render_and_keep(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        rendered.append((self.name or "", dict(*args, **kwargs)))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", render_and_keep)
    return site.build("--jobs", "1", "--no-cache"), rendered


def test_the_readme_lists_the_names_each_template_receives(make_site, monkeypatch):
    result, contexts = _built_contexts(make_site, monkeypatch)
    received: dict[str, set[frozenset[str]]] = {}
    for template, context in contexts:
        received.setdefault(template, set()).add(frozenset(context))
    # Every page of a kind gets the same names, or one list could not tell them.
    assert [template for template, kinds in received.items() if len(kinds) > 1] == []
    really = {template: set(next(iter(kinds))) for template, kinds in received.items()}
    documented = documented_names()
    for template in really.keys() | documented.keys():
        got, listed = really.get(template, set()), documented.get(template, set())
        assert got == listed, (
            f"README, {SECTION}: {template} receives {sorted(got)}; "
            f"not listed: {sorted(got - listed)}, listed but not received: {sorted(listed - got)}"
        )
    # After the names: a name renamed in render.py alone breaks the repository's templates too.
    assert result.code == 0, result.err


def test_the_readme_says_what_each_name_is_once():
    explained = [_one_name(name) for name, _ in _table(MEANINGS)]
    assert len(explained) == len(set(explained)), sorted(explained)
    assert set(explained) == set().union(*documented_names().values())


def _instances(value: Any) -> Iterator[Any]:
    """The value, or the items of a tuple, or the first of each pair (`entries`)."""
    if not isinstance(value, tuple):
        yield value
        return
    for item in value:
        yield item[0] if isinstance(item, tuple) else item


def test_the_attributes_the_readme_lists_are_there_on_the_values_templates_receive(
    make_site, monkeypatch
):
    result, contexts = _built_contexts(make_site, monkeypatch)
    assert result.code == 0, result.err
    names = set().union(*documented_names().values())
    for kind, (given, attributes) in documented_attributes().items():
        cls = _class(kind)
        missing = [name for name in attributes if not hasattr(cls, name)]
        assert missing == [], f"README, {SECTION}: {kind} has no {missing}"
        for name in set(given) & names:  # a top-level name, not an attribute of one
            values = [value for _, context in contexts if name in context
                      for value in _instances(context[name])]  # fmt: skip
            assert values, f"the build handed no {kind} as {name}: make the site show one"
            assert all(isinstance(value, cls) for value in values), (name, kind)
