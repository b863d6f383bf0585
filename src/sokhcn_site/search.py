"""Build the static, sharded full-text index that the search page queries.

Layout under ``tim-kiem/index/``:

* ``meta.json``: format version, build hash, document count, documents per
  document file, and the shard table ``[[first folded term, bytes], ...]``.
* ``t-<i>.json``: term shards. Shard ``i`` holds every folded term ``t`` with
  ``first[i] <= t < first[i + 1]`` (UTF-16 order, as JavaScript compares),
  as ``{folded: {exact key: postings}}``.
* ``d/<j>.json``: documents ``j*k .. j*k+k-1`` as ``[url, title, date,
  category, text]`` records; the client cuts excerpts from ``text``.

Document ids are ranks by date, oldest first, so "newer first" is "larger id
first" and publishing a new article adds one document file instead of
renumbering (and so rewriting) all of them. A term's postings are the codes
``doc id * 2 + in title`` of its documents, stored as a base64 VLQ string of
the differences between consecutive codes, minus one.

Building is two steps so that the costly one can run per article, in
parallel and cached: ``index_text`` (pure, per article: plain text to word
forms) and ``build_search_index`` (the whole site: postings, shards, files).
``static/js/search.js`` mirrors ``fold``, ``exact_key`` and ``tokenize``.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from operator import call, sub

from sokhcn_site.model import Output

INDEX_DIR = "tim-kiem/index"
FORMAT = 2
# Term shards are packed up to this many bytes; a single term may exceed it.
# Small shards keep "one shard per query word" cheap: see tests/test_search_index.py.
SHARD_TARGET = 16 * 1024
# One document per file: results are scattered over the id range, so any
# larger chunk multiplies the bytes fetched per shown result.
DOCS_PER_FILE = 1
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
# The five Vietnamese tone marks (huyền, sắc, ngã, hỏi, nặng) after NFD.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VLQ = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def fold(text: str) -> str:
    """Lower-case ``text`` and strip every diacritic (``đ`` becomes ``d``)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    bare = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return bare.replace("đ", "d")


def exact_key(token: str) -> str:
    """The diacritic-exact form of a lower-case token.

    The tone marks are moved to the end so that the old and new placements
    ("hoá" and "hóa") are the same word, as Vietnamese readers see them.
    """
    decomposed = unicodedata.normalize("NFD", token)
    tones = "".join(sorted(c for c in decomposed if c in _TONES))
    base = "".join(c for c in decomposed if c not in _TONES)
    return unicodedata.normalize("NFC", base) + tones


def tokenize(text: str) -> list[str]:
    """Split ``text`` into lower-case NFC words (letters and digits)."""
    return _TOKEN_RE.findall(unicodedata.normalize("NFC", text).lower().replace("_", " "))


@dataclass(frozen=True, slots=True)
class IndexedText:
    """What the index needs of one article's text: a pure function of its title and body."""

    # The start of the body on one line, for excerpts (TEXT_LIMIT characters), as a JSON
    # string in UTF-8: encoded once per article rather than in every build.
    text_json: bytes
    # The exact keys of the title's words, and of the body's other words: each list sorted
    # (the same article gives an equal value) and kept as one string, a key a line. Ten
    # thousand articles hold three million keys: as that many str objects they took ~200 MB
    # and most of the time of loading the cache; as 20,000 strings, ~40 MB.
    title_words: str
    body_words: str

    @property
    def title_terms(self) -> list[str]:
        return self.title_words.split("\n") if self.title_words else []

    @property
    def body_terms(self) -> list[str]:
        return self.body_words.split("\n") if self.body_words else []


@dataclass(frozen=True, slots=True)
class SearchEntry:
    """One searchable article."""

    url: str  # relative to the site root, e.g. "tin-hoat-dong-cua-so/hoi-nghi/"
    title: str
    date: str  # as displayed, dd/mm/yyyy
    sort_key: str  # ISO datetime in one timezone; larger is newer
    category: str  # display name
    indexed: IndexedText


@lru_cache(maxsize=1 << 17)
def _key(token: str) -> str:
    """The exact key of a token, or "" for one nobody searches for.

    Vietnamese has a few thousand distinct syllables, so the cache makes
    indexing cost one dict lookup per word.
    """
    folded = fold(token)
    return exact_key(token) if folded and len(folded) <= MAX_TOKEN else ""


@lru_cache(maxsize=1 << 17)
def _fold_key(key: str) -> str:
    # fold() of an exact key is the fold of every token that has that key.
    return fold(key)


def index_text(title: str, body: str) -> IndexedText:
    """The word forms of an article (title and plain-text body) and its excerpt text."""
    title_terms = set(map(_key, set(tokenize(title))))
    body_terms = set(map(_key, set(tokenize(body)))) - title_terms
    title_terms.discard("")
    body_terms.discard("")
    text_json = _dumps(_excerpt_text(body)).encode()
    return IndexedText(text_json, "\n".join(sorted(title_terms)), "\n".join(sorted(body_terms)))


def build_search_index(entries: Sequence[SearchEntry]) -> tuple[Output, ...]:
    """Return the index files for ``entries``; the same input gives the same bytes."""
    ordered = _ordered(entries)
    shards = _pack_shards(_term_fragments(_collect_postings(ordered)))
    shard_files = [
        Output(f"{INDEX_DIR}/t-{i}.json", _shard_bytes(fragments))
        for i, (_, fragments) in enumerate(shards)
    ]
    doc_files = _doc_files(ordered)
    meta = {
        "format": FORMAT,
        # Appended as ?v= to every fetch so a browser never mixes two builds.
        "v": _digest(shard_files + doc_files),
        "n": len(ordered),
        "k": DOCS_PER_FILE,
        "shards": [[first, len(f.data)] for (first, _), f in zip(shards, shard_files, strict=True)],
    }
    return (Output(f"{INDEX_DIR}/meta.json", _json(meta)), *shard_files, *doc_files)


def _ordered(entries: Iterable[SearchEntry]) -> list[SearchEntry]:
    """Oldest first; ties broken by every field so the order is total."""
    return sorted(
        entries,
        key=lambda e: (e.sort_key, e.url, e.title, e.date, e.category, e.indexed.text_json),
    )


# exact key -> ascending codes ``doc id * 2 + in title``
Postings = dict[str, list[int]]


def _collect_postings(ordered: Sequence[SearchEntry]) -> Postings:
    """Which documents hold each word form, and whether in their title."""
    keys: set[str] = set()
    for entry in ordered:  # one article's words at a time: all at once would be 200 MB
        keys.update(entry.indexed.body_terms)
        keys.update(entry.indexed.title_terms)
    postings: Postings = {key: [] for key in keys}
    # Millions of appends at 10,000 articles, so no Python loop per append:
    # ``consume(map(call, appenders, repeat(code)))`` runs them all in C.
    appenders = {key: hits.append for key, hits in postings.items()}.__getitem__
    consume = deque(maxlen=0).extend
    for doc, entry in enumerate(ordered):
        consume(map(call, map(appenders, entry.indexed.body_terms), repeat(doc * 2)))
        consume(map(call, map(appenders, entry.indexed.title_terms), repeat(doc * 2 + 1)))
    return postings


def _vlq(value: int) -> str:
    """Base64 VLQ: 5 bits per character, low bits first, bit 6 = more follows."""
    chars = []
    while True:
        digit, value = value & 31, value >> 5
        chars.append(_VLQ[digit | (32 if value else 0)])
        if not value:
            return "".join(chars)


# Most values are below 32, one character each: bytes.translate encodes a
# whole postings list of them at C speed. It maps value + 1, see encode_codes.
_ONE_CHAR = bytes.maketrans(bytes(range(1, 33)), _VLQ[:32].encode())


def encode_codes(codes: list[int]) -> str:
    """Encode ascending codes ``doc id * 2 + in title`` as one VLQ string.

    Each code is stored as its distance to the previous one, minus one (the
    first as itself): a plain difference, so computed in C for a whole list.
    """
    plus_one = list(map(sub, codes, chain((-1,), codes)))
    if max(plus_one, default=1) <= 32:
        return bytes(plus_one).translate(_ONE_CHAR).decode("ascii")
    return "".join(_VLQ[v - 1] if v <= 32 else _vlq(v - 1) for v in plus_one)


def _utf16(text: str) -> bytes:
    # JavaScript compares strings by UTF-16 code units; sort the same way so
    # its binary search over the shard table agrees with ours.
    return text.encode("utf-16-be")


def _term_fragments(postings: Postings) -> list[tuple[str, str]]:
    """``(folded term, '"term":{...}')`` pairs in UTF-16 order."""
    by_fold: dict[str, list[str]] = {}
    for key in postings:
        by_fold.setdefault(_fold_key(key), []).append(key)
    fragments = []
    for folded in sorted(by_fold, key=_utf16):
        body = ",".join(
            f'{_dumps(key)}:"{encode_codes(postings[key])}"'
            for key in sorted(by_fold[folded], key=_utf16)
        )
        fragments.append((folded, f"{_dumps(folded)}:{{{body}}}"))
    return fragments


def _pack_shards(fragments: Sequence[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """Cut the sorted terms into consecutive runs of about SHARD_TARGET bytes."""
    shards: list[tuple[str, list[str]]] = []
    size = 0
    for folded, fragment in fragments:
        length = len(fragment.encode()) + 1
        if not shards or (size + length > SHARD_TARGET and shards[-1][1]):
            shards.append((folded, []))
            size = 1
        shards[-1][1].append(fragment)
        size += length
    # An empty site still gets one (empty) shard, so the client needs no special case.
    return shards or [("", [])]


def _shard_bytes(fragments: Sequence[str]) -> bytes:
    return ("{" + ",".join(fragments) + "}").encode()


def _doc_files(ordered: Sequence[SearchEntry]) -> list[Output]:
    return [
        Output(
            f"{INDEX_DIR}/d/{start // DOCS_PER_FILE}.json",
            b"[%s]" % b",".join(map(_record, ordered[start : start + DOCS_PER_FILE])),
        )
        for start in range(0, len(ordered), DOCS_PER_FILE)
    ]


def _record(e: SearchEntry) -> bytes:
    # Joined by hand: the encoder's set-up per list costs more than its strings.
    fields = ",".join(map(_dumps, (e.url, _flat(e.title), e.date, e.category)))
    return b"[%s,%s]" % (fields.encode(), e.indexed.text_json)


def _flat(text: str) -> str:
    """NFC (the client matches words without normalising them) on one line."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _excerpt_text(text: str) -> str:
    """The body as one line, cut at a word boundary near TEXT_LIMIT."""
    # Flattening all of a long body costs more than indexing it: take a start that
    # is long enough unless it is mostly white space.
    flat = _flat(text[: 2 * TEXT_LIMIT])
    if len(flat) <= TEXT_LIMIT and len(text) > 2 * TEXT_LIMIT:
        flat = _flat(text)
    if len(flat) <= TEXT_LIMIT:
        return flat
    cut = flat.rfind(" ", 0, TEXT_LIMIT + 1)
    return flat[: cut if cut > TEXT_LIMIT // 2 else TEXT_LIMIT]


def _digest(files: Iterable[Output]) -> str:
    sha = hashlib.sha256()
    for f in files:
        sha.update(f.path.encode() + b"\0" + hashlib.sha256(f.data).digest())
    return sha.hexdigest()[:12]


# One encoder for the tens of thousands of small values of a big site.
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


def _json(value: object) -> bytes:
    return _dumps(value).encode()
