"""Build the static, sharded full-text index that the search page queries.

Layout under ``tim-kiem/index/``:

* ``meta.json``: format version, build hash ``v``, document count ``n``, the size of
  the id space ``ids``, documents per document file ``k`` (1), and the shard table
  ``[[first folded term, bytes, name], ...]``.
* ``o.json``: every document id, oldest first, each as a base64 VLQ number, in one
  string: "newer first" among equally good results.
* ``t-<name>.json``: term shards. Shard ``i`` holds every folded term ``t`` with
  ``first[i] <= t < first[i + 1]`` (UTF-16 order, as JavaScript compares),
  as ``{folded: {exact key: postings}}``. Its name is made from ``first[i]``, not ``i``:
  a new shard in the middle of the table renames none after it, so a deploy uploads only
  the shards whose terms changed.
* ``d/<id>.json``: document ``id`` as ``[[url, title, date, category, text]]``; the
  client cuts excerpts from ``text``.

Document ids are stable: an article's id is the slot its URL hashes to in a table at
least twice the size of the site (the next free slot after a collision, the older
article first). Adding, deleting, re-titling or re-dating an article leaves every other
id (but for a rare collision), and so every other record and posting, as it was. A
term's postings are the codes ``doc id * 2 + in title`` of its documents, stored as a
base64 VLQ string of the differences between consecutive codes, minus one.

A rebuild costs what changed: the ids are cut into BLOCKS ranges, and a block's pieces of
the postings are a pure function of its documents, memoised under the digest of their
fields; the postings of the whole site are joined from the pieces. A record is made only
when its file is written (a join of bytes its entry keeps), under a key digesting the
entry and its category's name. Shard boundaries depend on the terms around them only (a
shard ends before an "anchor" term once it is SHARD_MIN bytes long), so a posting that
grows moves no boundary beyond its own shard.
"""

from __future__ import annotations

import hashlib
import zlib
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import attrgetter, call, sub
from typing import Any

from .keys import digest
from .model import Deferred, Output, bytes_of
from .pickling import fast_pickle
from .search import SearchEntry, dumps, fold_key

INDEX_DIR = "tim-kiem/index"
FORMAT = 5
# Term shards are cut before they pass this many bytes; a single term may exceed it.
# Small shards keep "one shard per query word" cheap: see tests/test_search_index.py.
SHARD_TARGET = 16 * 1024
# ... and, once this long, before the next anchor term: about one folded term in _ANCHOR.
SHARD_MIN = SHARD_TARGET // 2
_ANCHOR = 8
# One document per file: results are scattered over the id range, so any
# larger chunk multiplies the bytes fetched per shown result.
DOCS_PER_FILE = 1
# An edit recomputes one block: 1/BLOCKS of the postings and records.
BLOCKS = 64
_MIN_IDS = 64
_VLQ = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@fast_pickle
@dataclass(frozen=True, slots=True)
class Block:
    """What the documents of one id range add to the postings.

    Their records are not kept: made from the entries in every build for little, they would
    double the cache's copy of every article's excerpt text.
    """

    # exact key -> (first code, last code, VLQ of the codes after the first)
    pieces: Mapping[str, tuple[int, int, str]]


def build_search_index(entries: Sequence[SearchEntry]) -> tuple[Output, ...]:
    """Return the index files for ``entries``; the same input gives the same bytes."""
    files, records, _ = index_files(entries, {}, {})
    return (*files, *(record.output() for record in records))


Members = Sequence[tuple[int, SearchEntry]]  # a block's documents: (id, entry), by id


def make_blocks(missing: Sequence[Members]) -> list[Block]:
    return [make_block(members) for members in missing]


def index_files(
    entries: Iterable[SearchEntry], names: Mapping[str, str], known: Mapping[bytes, Any],
    make: Callable[[Sequence[Members]], list[Block]] = make_blocks,
) -> tuple[tuple[Output, ...], tuple[Deferred, ...], dict[bytes, Block]]:  # fmt: skip
    """The index files but the records, the records, and every block by its memo key;
    ``known`` blocks are reused, the others made by ``make`` (in order, all at once).

    A record shows the name its entry's category has in ``names`` (if any).
    """
    ordered = _ordered(entries)
    ids, size = assign_ids([e.url for e in ordered])
    numbered = sorted(zip(ids, ordered, strict=True), key=_first)
    cut = _blocks(numbered, size)
    keys = [block_key(members) for members in cut]
    found = [block if isinstance(block := known.get(key), Block) else None for key in keys]
    missing = [members for members, block in zip(cut, found, strict=True) if block is None]
    made = iter(make(missing))
    blocks = [next(made) if block is None else block for block in found]
    shards = _pack_shards(_term_fragments(_postings(blocks)))
    shard_names = _shard_names([first for first, _ in shards])
    shard_files = [
        Output(f"{INDEX_DIR}/t-{name}.json", _shard_bytes(fragments))
        for name, (_, fragments) in zip(shard_names, shards, strict=True)
    ]
    order = Output(f"{INDEX_DIR}/o.json", b'"%s"' % encode_ids(ids).encode())
    sha = hashlib.sha256(b"".join(keys) + _names_digest(names))  # the records are named by both
    for output in (order, *shard_files):
        sha.update(hashlib.sha256(output.data).digest())
    meta = {
        "format": FORMAT,
        # Appended as ?v= to every fetch so a browser never mixes two builds.
        "v": sha.hexdigest()[:12],
        "n": len(ordered),
        "ids": max(size, max(ids, default=-1) + 1),
        "k": DOCS_PER_FILE,
        "shards": [
            [first, len(f.data), name]
            for (first, _), f, name in zip(shards, shard_files, shard_names, strict=True)
        ],
    }
    outputs = (Output(f"{INDEX_DIR}/meta.json", dumps(meta).encode()), order, *shard_files)
    return outputs, _records(numbered, names), dict(zip(keys, blocks, strict=True))


def _records(
    numbered: Sequence[tuple[int, SearchEntry]], names: Mapping[str, str]
) -> tuple[Deferred, ...]:
    shown = {slug: dumps(name).encode() for slug, name in names.items()}
    salts: dict[bytes, bytes] = {}  # a category's name in JSON -> what its records' keys end in
    records = []
    for doc, entry in numbered:
        name = shown.get(entry.category) or dumps(entry.category).encode()
        salt = salts.get(name)
        if salt is None:
            salt = salts[name] = digest(b"search-record\0%d\0%s" % (FORMAT, name))
        # The entry's digest names its record's fields, the salt the rest: no hash per record.
        key = entry.digest + salt
        records.append(Deferred(f"{INDEX_DIR}/d/{doc}.json", key, _record, (entry, name)))
    return tuple(records)


def _first(pair: tuple[int, SearchEntry]) -> int:
    return pair[0]


def _ordered(entries: Iterable[SearchEntry]) -> list[SearchEntry]:
    """Oldest first: the listings' order (collect.newest_first) reversed, so that articles of
    the same date are found in the order they are listed. (A URL names one article: total.)"""
    newest = sorted(entries, key=_slug_first)
    newest.sort(key=_DATE, reverse=True)  # stable: articles of one date stay by slug
    return newest[::-1]


_DATE = attrgetter("sort_key")


def _slug_first(entry: SearchEntry) -> tuple[str, str]:
    category, _, slug = entry.url.rstrip("/").rpartition("/")
    return slug, category


def assign_ids(urls: Sequence[str]) -> tuple[list[int], int]:
    """Stable ids for ``urls``, oldest article first, and the size of their hash table.

    In turn, each URL takes the first free id at or after its hash modulo a power of two
    at least twice their number. A new article, taking its id last, moves no other; one
    that goes moves at most the few newer ones that collided with it. Only doubling the
    site rehashes all.
    """
    size = _MIN_IDS
    while size < 2 * len(urls):
        size *= 2
    taken = bytearray(size + len(urls))
    ids = []
    for url in urls:
        doc = zlib.crc32(url.encode()) % size
        while taken[doc]:
            doc += 1
        taken[doc] = 1
        ids.append(doc)
    return ids, size


def _blocks(numbered: Members, size: int) -> list[list[tuple[int, SearchEntry]]]:
    """Split documents sorted by id into BLOCKS ranges of ids (past the table: one more)."""
    blocks: list[list[tuple[int, SearchEntry]]] = [[] for _ in range(BLOCKS + 1)]
    width = size // BLOCKS
    for pair in numbered:
        blocks[min(pair[0] // width, BLOCKS)].append(pair)
    return [block for block in blocks if block]


def _names_digest(names: Mapping[str, str]) -> bytes:
    return digest("\0".join(f"{slug}\0{name}" for slug, name in sorted(names.items())).encode())


def block_key(members: Members) -> bytes:
    """The memo key of a block: everything its ``make_block`` value depends on."""
    ids = array("q", (doc for doc, _ in members)).tobytes()
    entries = b"".join(e.digest for _, e in members)
    return digest(b"search-block\0%d\0%s\0%s" % (FORMAT, ids, entries))


def make_block(members: Members) -> Block:
    """Postings pieces of documents given by ascending id."""
    # Split once: an article keeps its words as two strings (see IndexedText).
    words = [(doc, e.indexed.body_terms, e.indexed.title_terms) for doc, e in members]
    keys = set().union(*(body for _, body, _ in words), *(title for _, _, title in words))
    postings: dict[str, list[int]] = {key: [] for key in keys}
    # Hundreds of thousands of appends in a cold build, so no Python loop per append:
    # ``consume(map(call, appenders, repeat(code)))`` runs them all in C.
    appenders = {key: hits.append for key, hits in postings.items()}.__getitem__
    consume: Callable[[Iterable[Any]], None] = deque(maxlen=0).extend
    for doc, body, title in words:
        consume(map(call, map(appenders, body), repeat(doc * 2)))
        consume(map(call, map(appenders, title), repeat(doc * 2 + 1)))
    pieces = {
        key: (codes[0], codes[-1], encode_codes(codes[1:], codes[0]))
        for key, codes in postings.items()
    }
    return Block(pieces)


def _postings(blocks: Sequence[Block]) -> dict[str, str]:
    """Every exact key's postings string, joined from the blocks' pieces."""
    parts: dict[str, list[tuple[int, int, str]]] = {}
    for block in blocks:
        for key, piece in block.pieces.items():
            parts.setdefault(key, []).append(piece)
    return {key: join_pieces(pieces) for key, pieces in parts.items()}


def join_pieces(pieces: Iterable[tuple[int, int, str]]) -> str:
    """The VLQ string of the codes of consecutive pieces (first, last, rest)."""
    out: list[str] = []
    last = -1
    for first, end, rest in pieces:
        gap = first - last
        out += (_SHORT[gap] if gap < len(_SHORT) else _vlq(gap - 1), rest)
        last = end
    return "".join(out)


def _vlq(value: int) -> str:
    """Base64 VLQ: 5 bits per character, low bits first, bit 6 = more follows."""
    chars = []
    while True:
        digit, value = value & 31, value >> 5
        chars.append(_VLQ[digit | (32 if value else 0)])
        if not value:
            return "".join(chars)


def _short_codes() -> list[str]:
    """_vlq of every value of up to three characters, in order: low digits (with the "more"
    bit) before high ones, built from the digits rather than by 32,768 calls of _vlq."""
    last = _VLQ[:32]  # the final digit of a number
    inner = _VLQ[32:]  # a digit followed by more
    two = [low + high for high in last[1:] for low in inner]
    three = [low + high for high in last[1:] for low in (a + b for b in inner for a in inner)]
    return [*last, *two, *three]


# Values up to three characters, looked up by C code. Indexed by value + 1, see encode_codes.
_SHORT = ["", *_short_codes()]
# Nearly all values are below 255: bytes.translate encodes a whole postings list of them at
# C speed, as the first and the second (or a NUL, none) character of each value.
_FIRST_CHAR = bytes([0, *(ord(_SHORT[v][0]) for v in range(1, 256))])
_SECOND_CHAR = bytes([0, *(ord(_SHORT[v][1:] or "\0") for v in range(1, 256))])


def encode_codes(codes: Sequence[int], previous: int = -1) -> str:
    """Encode ascending codes ``doc id * 2 + in title``, all above ``previous``, in VLQ.

    Each code is stored as its distance to the one before, minus one: a plain
    difference, so computed in C for a whole list.
    """
    try:
        steps = bytes(map(sub, codes, chain((previous,), codes)))
    except ValueError:  # a distance of 256 or more: rare words, short lists
        return "".join(
            _SHORT[v] if v < len(_SHORT) else _vlq(v - 1)
            for v in map(sub, codes, chain((previous,), codes))
        )
    chars = bytearray(2 * len(steps))
    chars[0::2] = steps.translate(_FIRST_CHAR)
    chars[1::2] = steps.translate(_SECOND_CHAR)
    return chars.replace(b"\0", b"").decode("ascii")


def encode_ids(ids: Iterable[int]) -> str:
    """Each id as a VLQ number, in one string."""
    return "".join(_SHORT[doc + 1] if doc + 1 < len(_SHORT) else _vlq(doc) for doc in ids)


def utf16(text: str) -> bytes:
    """The order JavaScript compares strings in (UTF-16 code units).

    The shard table is sorted this way so that search.js's binary search agrees with it.
    """
    return text.encode("utf-16-be")


def _term_fragments(postings: Mapping[str, str]) -> list[tuple[str, str]]:
    """``(folded term, '"term":{...}')`` pairs in UTF-16 order."""
    by_fold: dict[str, list[str]] = {}
    for key in postings:
        by_fold.setdefault(fold_key(key), []).append(key)
    fragments = []
    for folded in sorted(by_fold, key=utf16):
        body = ",".join(
            f'{dumps(key)}:"{postings[key]}"' for key in sorted(by_fold[folded], key=utf16)
        )
        fragments.append((folded, f"{dumps(folded)}:{{{body}}}"))
    return fragments


def is_anchor(folded: str) -> bool:
    """Whether a shard may start at ``folded`` once the one before is SHARD_MIN long."""
    return zlib.crc32(folded.encode()) % _ANCHOR == 0


def _pack_shards(fragments: Sequence[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """Cut the sorted terms into consecutive runs of SHARD_MIN to SHARD_TARGET bytes."""
    shards: list[tuple[str, list[str]]] = []
    size = 0
    for folded, fragment in fragments:
        length = len(fragment.encode()) + 1
        full = size + length > SHARD_TARGET or (size >= SHARD_MIN and is_anchor(folded))
        if not shards or (full and shards[-1][1]):
            shards.append((folded, []))
            size = 1
        shards[-1][1].append(fragment)
        size += length
    # An empty site still gets one (empty) shard, so the client needs no special case.
    return shards or [("", [])]


def _shard_names(firsts: Sequence[str]) -> list[str]:
    """A file name for each shard, from its first term: 8 hex digits of its hash, and on
    the rare collision with an earlier shard's, the shard's position after them."""
    names: list[str] = []
    taken: set[str] = set()
    for i, first in enumerate(firsts):
        name = hashlib.blake2b(first.encode(), digest_size=4).hexdigest()
        if name in taken:
            name = f"{name}-{i}"
        taken.add(name)
        names.append(name)
    return names


def _shard_bytes(fragments: Sequence[str]) -> bytes:
    return ("{" + ",".join(fragments) + "}").encode()


def _record(e: SearchEntry, name: bytes) -> bytes:
    """A document file: its entry's record, with the name of its category (JSON)."""
    return b"[[%s,%s,%s]]" % (bytes_of(e.head), name, bytes_of(e.indexed.text_json))
