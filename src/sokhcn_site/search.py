"""The words of an article as the search index sees them, and as search.js reads them.

``index_text`` is the costly, per-article part of indexing (plain text to word forms),
pure, so that it runs in parallel and is cached; search_index.py makes the files.
``static/js/search.js`` mirrors ``fold``, ``exact_key`` and ``tokenize``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

from .keys import digest
from .model import Stored, bytes_of
from .pickling import fast_pickle

# Characters of body text kept for excerpts: the lead paragraphs (~330
# words), where an article states its subject. Every word of the body is
# still indexed; a match found only further on gets an excerpt of the lead.
# Ten results then cost ~25 KB of the first query's 300 KB, and a 10,000
# article site ~23 MB of document files instead of ~45 MB at 4,000.
TEXT_LIMIT = 1500
# Longer "words" are URLs, hashes or garbage nobody searches for.
MAX_TOKEN = 40

# Letters, digits and combining marks (for text that is not NFC). The same
# class is spelled ``[\p{L}\p{N}\u0300-\u036f...]`` in search.js.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# (Underscores, which \w includes, are made spaces first: one class is much faster
# than an alternation.)
_TOKEN_RE = re.compile(rf"[\w{_MARKS}]+")
# Abbreviations joined by "&": the portal writes "KH&CN" (khoa học và công nghệ) in almost
# every article, readers type "KHCN" as often as "KH&CN". Besides its parts, such a run is
# indexed as one word without the "&" ("khcn"); "KH&CN" typed finds its parts, as before.
_JOINED_RE = re.compile(rf"[\w{_MARKS}]+(?:&[\w{_MARKS}]+)+")
# The five Vietnamese tone marks (huyền, sắc, ngã, hỏi, nặng) after NFD.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Syllables written with a final "y" or "i" alike, as spellings differ between writers and
# decades: "kỹ thuật" and "kĩ thuật", "lý do" and "lí do", "quý" and "quí" (but "y tế",
# "tuy", "vy" are other words). Both are indexed and looked up as the "i" form.
_Y_SYLLABLES = frozenset(("hy", "ky", "ly", "my", "sy", "ty", "quy"))


def fold(word: str) -> str:
    """Lower-case ``word`` and strip every diacritic (``đ`` becomes ``d``, and so does ``ð``:
    text converted from old Vietnamese encodings often has "Ð" (U+00D0) for "Đ"); a
    syllable spelled with "y" or "i" alike gets its "i" (see _Y_SYLLABLES)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    bare = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return _i_for_y(bare.replace("đ", "d").replace("ð", "d"))


def _i_for_y(base: str) -> str:
    return base[:-1] + "i" if base in _Y_SYLLABLES else base


def exact_key(token: str) -> str:
    """The diacritic-exact form of a lower-case token.

    The tone marks are moved to the end so that the old and new placements
    ("hoá" and "hóa") are the same word, as Vietnamese readers see them; so is a syllable
    spelled with "y" or "i" alike ("kỹ" and "kĩ").
    """
    decomposed = unicodedata.normalize("NFD", token)
    tones = "".join(sorted(c for c in decomposed if c in _TONES))
    base = "".join(c for c in decomposed if c not in _TONES)
    return _i_for_y(unicodedata.normalize("NFC", base)) + tones


def tokenize(text: str) -> list[str]:
    """Split ``text`` into lower-case NFC words (letters and digits)."""
    return _TOKEN_RE.findall(_searchable(text))


def _searchable(text: str) -> str:
    # Underscores, which \w includes, become spaces: see _TOKEN_RE.
    return unicodedata.normalize("NFC", text).lower().replace("_", " ")


@fast_pickle
@dataclass(frozen=True, slots=True)
class IndexedText:
    """What the index needs of one article's text: a pure function of its title and body."""

    # The start of the body on one line, for excerpts (TEXT_LIMIT characters), as a JSON
    # string in UTF-8: encoded once per article rather than in every build. Like the words,
    # read from the cache only if needed (see model.Stored).
    text_json: bytes | Stored
    # The exact keys of the title's words, and of the body's other words: each list in the
    # order the text first has them (the same article gives an equal value; sorting them
    # was a sixth of this step) and kept as one UTF-8 string, a key a line.
    # Ten thousand articles hold three million keys: as that many str objects they took
    # ~200 MB and most of the time of loading the cache; so, ~25 MB. (Bytes, not str:
    # CPython keeps a UTF-8 copy inside every non-ASCII str that pickle writes.)
    title_words: bytes | Stored
    body_words: bytes | Stored
    # Of the three fields above: the index's memo keys name an article's text by it.
    digest: bytes

    @property
    def title_terms(self) -> list[str]:
        return _lines(bytes_of(self.title_words))

    @property
    def body_terms(self) -> list[str]:
        return _lines(bytes_of(self.body_words))


def _lines(words: bytes) -> list[str]:
    return words.decode().split("\n") if words else []


@fast_pickle
@dataclass(frozen=True, slots=True)
class SearchEntry:
    """One searchable article."""

    url: str  # relative to the site root, e.g. "tin-hoat-dong-cua-so/hoi-nghi/"
    title: str
    date: str  # as displayed, dd/mm/yyyy
    sort_key: str  # ISO datetime in one timezone; larger is newer
    category: str  # slug (index_files shows its name) or, in tests, the name itself
    indexed: IndexedText
    # Made once with the entry (in a parsing worker, cached), not in every build:
    # of every field but sort_key, what the index's memo keys name the entry's record by;
    digest: bytes = field(init=False, repr=False, compare=False)
    # and the start of its record, '"url","title","date"' in JSON.
    head: bytes | Stored = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fields = "\0".join((self.url, self.title, self.date, self.category, ""))
        object.__setattr__(self, "digest", digest(fields.encode() + self.indexed.digest))
        # Joined by hand: the encoder's set-up per list costs more than its strings.
        head = ",".join(map(dumps, (self.url, _flat(self.title), self.date)))
        object.__setattr__(self, "head", head.encode())


@lru_cache(maxsize=1 << 17)
def _key(token: str) -> str:
    """The exact key of a token, or "" for one nobody searches for.

    Vietnamese has a few thousand distinct syllables, so the cache makes
    indexing cost one dict lookup per word.
    """
    folded = fold(token)
    return exact_key(token) if folded and len(folded) <= MAX_TOKEN else ""


@lru_cache(maxsize=1 << 17)
def fold_key(key: str) -> str:
    """fold() of an exact key: the fold of every token that has that key."""
    return fold(key)


def index_text(title: str, body: str, more: str = "") -> IndexedText:
    """The word forms of an article (title, plain-text body, and `more` words found as the
    body's: what else a reader sees of it) and its excerpt text (of the body)."""
    title_terms = _keys(title)
    title_terms.pop("", None)
    words = f"{body}\n{more}" if more else body
    body_terms = [key for key in _keys(words) if key and key not in title_terms]
    text_json = dumps(_excerpt_text(body)).encode()
    title_words = "\n".join(title_terms).encode()
    body_words = "\n".join(body_terms).encode()
    words = b"%s\0%s" % (title_words, body_words)
    return IndexedText(text_json, title_words, body_words, digest(text_json + b"\0" + words))


def _keys(text: str) -> dict[str, None]:
    """The exact keys of the words tokenize() finds in `text` ("" for the unsearchable), in
    the order of their first word."""
    # The same words, found per run of non-space characters, each distinct run once: most
    # runs are a word that every article repeats, and the regular expression is the cost.
    runs = dict.fromkeys(_searchable(text).split())
    return dict.fromkeys(chain.from_iterable(map(_run_keys, runs)))


@lru_cache(maxsize=1 << 16)
def _run_keys(run: str) -> tuple[str, ...]:
    tokens = _TOKEN_RE.findall(run)
    if "&" in run:
        tokens += [joined.replace("&", "") for joined in _JOINED_RE.findall(run)]
    return tuple(dict.fromkeys(map(_key, tokens)))


def _flat(text: str) -> str:
    """NFC (the client matches words without normalising them) on one line."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _excerpt_text(text: str) -> str:
    """The body as one line, cut at a word boundary near TEXT_LIMIT."""
    # Flattening all of a long body costs more than indexing it: take a start that is long
    # enough unless it is mostly white space (a fifth more: plain text has about one space
    # a word, and a blank line a paragraph). The flat start is a start of the flat body.
    start = TEXT_LIMIT + TEXT_LIMIT // 4
    line = _flat(text[:start])
    if len(line) <= TEXT_LIMIT and len(text) > start:
        line = _flat(text)
    if len(line) <= TEXT_LIMIT:
        return line
    cut = line.rfind(" ", 0, TEXT_LIMIT + 1)
    return line[: cut if cut > TEXT_LIMIT // 2 else TEXT_LIMIT]


# One encoder for the tens of thousands of small values of a big site.
dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode
