"""Build the static, sharded full-text index that the search page queries.

Layout under ``tim-kiem/index/``:

* ``meta.json``: format version, build hash, document count, documents per
  document file, and the shard table ``[[first folded term, bytes], ...]``.
* ``t-<i>.json``: term shards. Shard ``i`` holds every folded term ``t`` with
  ``first[i] <= t < first[i + 1]`` (UTF-16 order, as JavaScript compares),
  as ``{folded: {exact key: postings}}``.
* ``d/<j>.json``: documents ``j*k .. j*k+k-1`` as ``[url, title, date,
  category, text]`` records; the client cuts excerpts from ``text``.

Document ids are ranks by date, newest first, so "newer first" is "smaller id
first" and the client never needs the dates of documents it does not show.
Postings are base64 VLQ strings of ``(gap << 1) | in_title`` per document.
``static/js/search.js`` mirrors ``fold``, ``exact_key`` and ``tokenize``.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from sokhcn_site.model import Output

INDEX_DIR = "tim-kiem/index"
FORMAT = 1
# Term shards are packed up to this many bytes; a single term may exceed it.
# Small shards keep "one shard per query word" cheap: see tests/test_search_index.py.
SHARD_TARGET = 16 * 1024
# One document per file: results are scattered over the id range, so any
# larger chunk multiplies the bytes fetched per shown result.
DOCS_PER_FILE = 1
# Characters of body text kept for excerpts; ~900 Vietnamese words, enough
# for nearly every article and a bound for very long ones.
TEXT_LIMIT = 4000
# Longer "words" are URLs, hashes or garbage nobody searches for.
MAX_TOKEN = 40

# Letters, digits and combining marks (for text that is not NFC). The same
# class is spelled ``[\p{L}\p{N}\u0300-\u036f...]`` in search.js.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_TOKEN_RE = re.compile(rf"(?:[^\W_]|[{_MARKS}])+")
# The five Vietnamese tone marks (huyền, sắc, ngã, hỏi, nặng) after NFD.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VLQ = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_SPACE_RE = re.compile(r"\s+")


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
    return _TOKEN_RE.findall(unicodedata.normalize("NFC", text).lower())


@dataclass(frozen=True, slots=True)
class SearchEntry:
    """One searchable article."""

    url: str  # relative to the site root, e.g. "tin-hoat-dong-cua-so/hoi-nghi/"
    title: str
    date: str  # as displayed, dd/mm/yyyy
    sort_key: str  # ISO datetime in one timezone; larger is newer
    category: str  # display name
    text: str  # plain body text


# folded term -> exact key -> [(doc id, in title)], ids ascending
Postings = dict[str, dict[str, list[tuple[int, bool]]]]


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
    """Newest first; ties broken by every field so the order is total."""
    by_fields = sorted(entries, key=lambda e: (e.url, e.title, e.date, e.category, e.text))
    return sorted(by_fields, key=lambda e: e.sort_key, reverse=True)


@lru_cache(maxsize=1 << 16)
def _forms(token: str) -> tuple[str, str]:
    # Vietnamese has a few thousand distinct syllables, so caching makes
    # indexing cost one dict lookup per word.
    return fold(token), exact_key(token)


def _collect_postings(ordered: Sequence[SearchEntry]) -> Postings:
    """Which documents hold each word form, and whether in their title."""
    postings: Postings = {}
    for doc, entry in enumerate(ordered):
        title = set(tokenize(entry.title))
        # Set order varies between runs; the output is sorted later.
        for token in title.union(tokenize(entry.text)):
            folded, key = _forms(token)
            if not folded or len(folded) > MAX_TOKEN:
                continue
            variants = postings.setdefault(folded, {})
            hits = variants.setdefault(key, [])
            # Two spellings of one key ("hoá", "hóa") in a document: one hit.
            if hits and hits[-1][0] == doc:
                hits[-1] = (doc, hits[-1][1] or token in title)
            else:
                hits.append((doc, token in title))
    return postings


def _vlq(value: int) -> str:
    """Base64 VLQ: 5 bits per character, low bits first, bit 6 = more follows."""
    if value < 32:  # most postings: a fast path halves the build time
        return _VLQ[value]
    chars = []
    while True:
        digit, value = value & 31, value >> 5
        chars.append(_VLQ[digit | (32 if value else 0)])
        if not value:
            return "".join(chars)


def encode_postings(hits: Sequence[tuple[int, bool]]) -> str:
    """Encode ascending ``(doc id, in title)`` pairs as one VLQ string."""
    previous = -1
    parts = []
    for doc, in_title in hits:
        parts.append(_vlq(((doc - previous - 1) << 1) | int(in_title)))
        previous = doc
    return "".join(parts)


def _utf16(text: str) -> bytes:
    # JavaScript compares strings by UTF-16 code units; sort the same way so
    # its binary search over the shard table agrees with ours.
    return text.encode("utf-16-be")


def _term_fragments(postings: Postings) -> list[tuple[str, str]]:
    """``(folded term, '"term":{...}')`` pairs in UTF-16 order."""
    fragments = []
    for folded in sorted(postings, key=_utf16):
        variants = postings[folded]
        body = ",".join(
            f"{_dumps(key)}:{_dumps(encode_postings(variants[key]))}"
            for key in sorted(variants, key=_utf16)
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
    files = []
    for start in range(0, len(ordered), DOCS_PER_FILE):
        records = [
            [e.url, _flat(e.title), e.date, e.category, _excerpt_text(e.text)]
            for e in ordered[start : start + DOCS_PER_FILE]
        ]
        files.append(Output(f"{INDEX_DIR}/d/{start // DOCS_PER_FILE}.json", _json(records)))
    return files


def _flat(text: str) -> str:
    """NFC (the client matches words without normalising them) on one line."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _excerpt_text(text: str) -> str:
    """The body as one line, cut at a word boundary near TEXT_LIMIT."""
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


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _json(value: object) -> bytes:
    return _dumps(value).encode()
