"""The benchmark corpus is deterministic and shaped like the portal's content.

Peer tools (Pelican, Hugo) are not exercised here: they are slow and need installs.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import corpus

ARTICLES = 200
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.DOTALL)
IMAGE_REF = re.compile(r"!\[[^\]]*\]\(([^)]+)\)")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    root = tmp_path_factory.mktemp("corpus")
    return root, corpus.generate_corpus(root, ARTICLES)


def _split(path: Path) -> tuple[dict[str, object], str]:
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    assert match, f"{path} has no front matter"
    meta = yaml.safe_load(match.group(1))
    assert isinstance(meta, dict)
    return meta, match.group(2)


def test_same_seed_gives_byte_identical_tree(
    generated: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    root, _ = generated
    again = corpus.generate_corpus(tmp_path, ARTICLES)
    assert len(again) == ARTICLES
    assert _tree(root) == _tree(tmp_path)


def test_another_seed_gives_another_corpus(
    generated: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    root, _ = generated
    corpus.generate_corpus(tmp_path, ARTICLES, seed=7)
    assert _tree(root) != _tree(tmp_path)


def test_layout_and_five_categories(generated: tuple[Path, list[Path]]) -> None:
    root, paths = generated
    assert len(paths) == len(set(paths)) == ARTICLES
    categories = {p.parent.name for p in paths}
    assert categories == {slug for slug, _ in corpus.CATEGORIES}
    assert len(categories) == 5
    for path in paths:
        assert path.parent.parent == root / "content"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.md", path.name)
    assert not (root / "site.yaml").exists()


def test_front_matter_parses_and_matches_file_name(generated: tuple[Path, list[Path]]) -> None:
    _, paths = generated
    for path in paths:
        meta, _ = _split(path)
        assert {"title", "date", "author", "department", "summary"} <= meta.keys()
        # PyYAML reads "2020-01-14 09:30" (no seconds) as a string and
        # "2020-01-14" as a date; both must carry the file name's day.
        assert str(meta["date"])[:10] == path.name[:10]
        assert 6 <= len(str(meta["title"]).split()) <= 16


def test_word_counts_within_range(generated: tuple[Path, list[Path]]) -> None:
    _, paths = generated
    counts = [corpus.count_words(_split(p)[1]) for p in paths]
    assert all(corpus.WORDS_MIN <= c <= corpus.WORDS_MAX for c in counts), counts
    assert max(counts) - min(counts) > 200  # lengths really vary


def test_dates_span_years_with_collisions(generated: tuple[Path, list[Path]]) -> None:
    _, paths = generated
    stamps = [str(_split(p)[0]["date"]) for p in paths]
    days = Counter(s[:10] for s in stamps)
    assert max(days.values()) >= 2, "no same-day collision"
    timed = Counter(s for s in stamps if len(s) > 10)
    assert max(timed.values()) >= 2, "no same-minute collision"
    assert any(len(s) == 10 for s in stamps), "no date-only article"
    years = {s[:4] for s in stamps}
    assert len(years) == 8
    assert min(stamps) >= "2018-01-01" and max(stamps) <= "2025-12-31 23:59"


def test_bodies_have_every_markdown_element(generated: tuple[Path, list[Path]]) -> None:
    _, paths = generated
    for path in paths:
        body = _split(path)[1]
        assert re.search(r"^## \S", body, re.MULTILINE)
        assert re.search(r"^- \S", body, re.MULTILINE)
        assert re.search(r"\*\*[^*]+\*\*", body)
        assert re.search(r"(?<!!)\[[^\]]+\]\(https://example\.org/[^)]+\)", body)
        assert len(IMAGE_REF.findall(body)) == 1


def test_every_image_reference_resolves(generated: tuple[Path, list[Path]]) -> None:
    _, paths = generated
    for path in paths:
        for ref in IMAGE_REF.findall(_split(path)[1]):
            image = path.parent / ref
            assert image.is_file(), f"{path.name}: {ref}"
            assert image.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_text_is_nfc_and_vietnamese(generated: tuple[Path, list[Path]]) -> None:
    _, paths = generated
    text = "".join(p.read_text(encoding="utf-8") for p in paths)
    assert unicodedata.is_normalized("NFC", text)
    for letter in "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷ":
        assert letter in text.lower(), letter


def test_slugs_are_unique_per_category(generated: tuple[Path, list[Path]]) -> None:
    _, paths = generated
    slugs = Counter((p.parent.name, p.stem[11:]) for p in paths)
    assert max(slugs.values()) == 1


def test_slugify_drops_diacritics() -> None:
    assert corpus.slugify("Tiêu chuẩn Đo lường, Chất lượng") == "tieu-chuan-do-luong-chat-luong"


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert corpus.main([str(tmp_path), "--articles", "12"]) == 0
    assert len(list((tmp_path / "content").rglob("*.md"))) == 12
    assert "wrote 12 articles" in capsys.readouterr().out


def test_peer_conversions(generated: tuple[Path, list[Path]]) -> None:
    """The untimed conversions feed each peer the same articles (no tools run)."""
    from peers import convert

    _, paths = generated
    timed = next(p for p in paths if len(str(_split(p)[0]["date"])) > 10)
    meta, body = _split(timed)
    slug = timed.stem[11:]

    pelican = convert.pelican_text(timed)
    head, _, pelican_body = pelican.partition("\n\n")
    assert f"Title: {meta['title']}" in head.splitlines()
    assert f"Date: {meta['date']}" in head.splitlines()
    assert f"Slug: {slug}" in head.splitlines()
    assert pelican_body == body.replace("](images/", "]({static}images/")

    hugo_meta, hugo_body = _split_text(convert.hugo_text(timed))
    assert hugo_body == body
    # Hugo 0.111 reads "2020-01-14 09:30" as the zero time; ISO it must be.
    assert hugo_meta["date"].strftime("%Y-%m-%d %H:%M") == meta["date"]
    assert hugo_meta["slug"] == hugo_meta["linktitle"] == slug


def _split_text(text: str) -> tuple[dict[str, Any], str]:
    match = FRONT_MATTER.match(text)
    assert match
    return yaml.safe_load(match.group(1)), match.group(2)
