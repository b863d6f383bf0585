"""The search index builder and, under Node, the ranking of static/js/search.js."""

from __future__ import annotations

import bisect
import json
import os
import random
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from sokhcn_site import search, search_index
from sokhcn_site.model import Output
from sokhcn_site.search import SearchEntry, exact_key, fold, index_text, tokenize
from sokhcn_site.search_index import build_search_index

ROOT = Path(__file__).resolve().parents[1]
SEARCH_JS = ROOT / "static" / "js" / "search.js"
KB = 1024
BUDGET = 300 * KB
RESULTS_SHOWN = 10  # PAGE_SIZE in search.js
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --------------------------------------------------------------- folding ----


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("khoa học", "khoa hoc"),
        ("khoa hoc", "khoa hoc"),
        ("Thanh Hóa", "thanh hoa"),
        (nfd("Thanh Hóa"), "thanh hoa"),
        ("Thanh Hoá", "thanh hoa"),
        ("đo lường", "do luong"),
        ("ĐO LƯỜNG", "do luong"),
        ("Đắk Lắk", "dak lak"),
        ("\u00d0ồng \u00f0ội", "dong doi"),  # Ð for Đ, as text from old encodings has it
        (nfd("Sở Khoa học và Công nghệ"), "so khoa hoc va cong nghe"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_exact_key_keeps_diacritics_but_not_tone_placement() -> None:
    assert exact_key("hóa") == exact_key("hoá") == exact_key(nfd("hoá"))
    assert exact_key("học") != exact_key("hoc")
    assert exact_key("học") != exact_key("hóc")
    assert exact_key("đo") != exact_key("do")


def test_a_syllable_spelled_with_y_or_i_alike_is_one_word() -> None:
    assert exact_key("kỹ") == exact_key("kĩ") == exact_key(nfd("kĩ"))
    assert exact_key("lý") == exact_key("lí")
    assert exact_key("quý") == exact_key("quí")
    assert fold("Mỹ") == fold("mĩ") == fold("mi") == "mi"
    # Other words with a "y": not the "i" of anything.
    words = ["y", "ý", "tuy", "thủy", "vy", "kyoto", "hay"]
    assert [fold(w) for w in words] == ["y", "y", "tuy", "thuy", "vy", "kyoto", "hay"]
    assert not any("i" in exact_key(w) for w in words)
    assert exact_key("kỳ") != exact_key("kỹ")


def test_tokenize_normalises_and_keeps_words_whole() -> None:
    assert tokenize(nfd("Sở KH&CN tỉnh Thanh Hóa, năm 2024.")) == [
        "sở",
        "kh",
        "cn",
        "tỉnh",
        "thanh",
        "hóa",
        "năm",
        "2024",
    ]


def test_an_abbreviation_joined_by_ampersand_is_also_one_word() -> None:
    indexed = index_text("Sở KH&CN tỉnh", "Hợp tác R&D (KH&CN) và A & B.")
    assert indexed.title_terms == [exact_key(w) for w in ("sở", "kh", "cn", "khcn", "tỉnh")]
    # Not again in the body, as the title has it; "&" between spaces joins nothing.
    body = ["hợp", "tác", "r", "d", "rd", "và", "a", "b"]
    assert indexed.body_terms == [exact_key(w) for w in body]


# ------------------------------------------------------------ the format ----


def entry(n: int, title: str, text: str = "", day: int = 1) -> SearchEntry:
    return SearchEntry(
        url=f"tin/bai-{n}/",
        title=title,
        date=f"{day:02d}/01/2024",
        sort_key=f"2024-01-{day:02d}T08:00:00+07:00",
        category="Tin hoạt động",
        indexed=index_text(title, text),
    )


def files(outputs: tuple) -> dict[str, bytes]:
    return {o.path: o.data for o in outputs}


def load(outputs: dict[str, bytes], name: str) -> object:
    return json.loads(outputs[f"{search_index.INDEX_DIR}/{name}"])


def shard_path(outputs: dict[str, bytes], i: int) -> str:
    """The file of shard `i`, named as search.js finds it: through the table in meta.json."""
    return f"{search_index.INDEX_DIR}/t-{load(outputs, 'meta.json')['shards'][i][2]}.json"


def shard(outputs: dict[str, bytes], i: int) -> dict:
    return json.loads(outputs[shard_path(outputs, i)])


def vlq_values(text: str) -> list[int]:
    values, value, shift = [], 0, 0
    for char in text:
        digit = search_index._VLQ.index(char)
        value |= (digit & 31) << shift
        if digit & 32:
            shift += 5
        else:
            values.append(value)
            value, shift = 0, 0
    return values


def decode(postings: str) -> list[tuple[int, bool]]:
    hits, code = [], -1
    for value in vlq_values(postings):
        code += value + 1
        hits.append((code >> 1, bool(code & 1)))
    return hits


def oldest_first(outputs: dict[str, bytes]) -> list[int]:
    """The document ids in o.json: by date, oldest first."""
    return vlq_values(load(outputs, "o.json"))


def test_layout_and_records() -> None:
    out = files(build_search_index([entry(1, "Hội nghị khoa học", "Nội dung.", day=2)]))
    meta = load(out, "meta.json")
    [doc] = oldest_first(out)
    assert sorted(out) == [
        f"tim-kiem/index/d/{doc}.json",
        "tim-kiem/index/meta.json",
        "tim-kiem/index/o.json",
        shard_path(out, 0),
    ]
    assert meta["n"] == 1 and meta["k"] == search_index.DOCS_PER_FILE
    assert 0 <= doc < meta["ids"]
    assert load(out, f"d/{doc}.json") == [
        ["tin/bai-1/", "Hội nghị khoa học", "02/01/2024", "Tin hoạt động", "Nội dung."]
    ]
    [postings] = shard(out, 0)["hoc"].values()
    assert list(shard(out, 0)["hoc"]) == [exact_key("học")]
    assert decode(postings) == [(doc, True)]


def test_empty_site_has_a_usable_index() -> None:
    out = files(build_search_index([]))
    [(first, size, _)] = load(out, "meta.json")["shards"]
    assert (first, size) == ("", 2)
    assert shard(out, 0) == {}
    assert load(out, "o.json") == ""


@pytest.mark.parametrize(
    "hits",
    [
        [(0, True), (1, False), (17, True), (1000, False), (123456, True)],
        [(0, False), (1, True), (2, False), (15, True), (16, True)],  # one character each
        [(3, True), (40, False), (100, True), (127, False)],  # two characters
        [],
    ],
)
def test_vlq_round_trip(hits: list[tuple[int, bool]]) -> None:
    codes = [doc * 2 + title for doc, title in hits]
    assert decode(search_index.encode_codes(codes)) == hits
    # Pieces of a list, encoded apart, join into the whole list's encoding.
    parts = [part for part in (codes[:2], codes[2:]) if part]
    pieces = [(p[0], p[-1], search_index.encode_codes(p[1:], p[0])) for p in parts]
    assert search_index.join_pieces(pieces) == search_index.encode_codes(codes)


# --------------------------------------------------- a synthetic corpus ----

COMMON_WORDS = (
    "và của các có được là trong cho với những một này đã người không về để khoa học "
    "công nghệ tỉnh thanh hóa sở năm đến trên theo thực hiện phát triển tại nhiều sản "
    "xuất ứng dụng hoạt động nghiên cứu quản lý đơn vị doanh nghiệp chương trình dự án "
    "kết quả hội nghị đề tài đo lường chất tiêu chuẩn kỹ thuật sáng tạo đổi mới chuyển "
    "giao nông huyện xã thành phố cán bộ tổ chức kinh tế chính sách hỗ trợ đầu tư thị "
    "trường hữu trí tuệ nhãn hiệu phẩm an toàn bức xạ thông tin số điện tử mô hình"
)
ONSET_LETTERS = "b c ch d đ g gi h k kh l m n ng nh ph qu s t th tr v x"
NUCLEUS_LETTERS = "a ă â e ê i o ô ơ u ư y oa uy ia ươ uô iê ai ao ay âu oi ôi ơi ui"
COMMON = COMMON_WORDS.split()
ONSETS = [*ONSET_LETTERS.split(), ""]
NUCLEI = NUCLEUS_LETTERS.split()
CODAS = ["", "", "c", "ch", "m", "n", "ng", "nh", "p", "t"]
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    words = list(dict.fromkeys(COMMON))
    seen = set(words)
    while len(words) < size:
        nucleus = rng.choice(NUCLEI)
        nucleus = nucleus[0] + rng.choice(TONES) + nucleus[1:]
        word = unicodedata.normalize("NFC", rng.choice(ONSETS) + nucleus + rng.choice(CODAS))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


@dataclass(frozen=True)
class Sample:
    """A synthetic article: what the index is given, and the whole text it saw."""

    entry: SearchEntry
    text: str


def synthetic(count: int, words: int = 700, seed: int = 7) -> list[SearchEntry]:
    return [sample.entry for sample in samples(count, words, seed)]


def samples(count: int, words: int = 700, seed: int = 7) -> list[Sample]:
    """Zipf-distributed Vietnamese-like syllables, ~700 words, a topic per article."""
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    weights = [1 / (rank + 1) ** 1.05 for rank in range(len(vocab))]
    entries = []
    for i in range(count):
        topic = rng.sample(vocab[50:3000], 8)
        body = rng.choices(vocab, weights, k=words)
        body[::9] = rng.choices(topic, k=len(body[::9]))
        body[::60] = [str(rng.randint(1, 2024)) for _ in body[::60]]
        title = rng.sample(topic, 3) + rng.choices(vocab[:400], weights[:400], k=9)
        rng.shuffle(title)
        day, month, year = i % 28 + 1, i // 28 % 12 + 1, 2024 - i // 336
        heading = " ".join(title).capitalize()
        text = ". ".join(" ".join(body[j : j + 18]) for j in range(0, words, 18))
        entry = SearchEntry(
            url=f"tin-{i % 5}/bai-{i}/",
            title=heading,
            date=f"{day:02d}/{month:02d}/{year}",
            sort_key=f"{year}-{month:02d}-{day:02d}T{i % 24:02d}:00:00+07:00",
            category=f"Chuyên mục {i % 5}",
            indexed=index_text(heading, text),
        )
        entries.append(Sample(entry, text))
    return entries


@pytest.fixture(scope="module")
def corpus_samples() -> list[Sample]:
    return samples(2000)


@pytest.fixture(scope="module")
def corpus(corpus_samples: list[Sample]) -> list[SearchEntry]:
    return [sample.entry for sample in corpus_samples]


@pytest.fixture(scope="module")
def built(corpus: list[SearchEntry]) -> dict[str, bytes]:
    return files(build_search_index(corpus))


def test_deterministic_and_independent_of_input_order(
    corpus: list[SearchEntry], built: dict[str, bytes]
) -> None:
    shuffled = corpus[:]
    random.Random(1).shuffle(shuffled)
    assert files(build_search_index(shuffled)) == built


HASHED_BUILD = """
import hashlib, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
from test_search_index import synthetic
from sokhcn_site.model import Output
from sokhcn_site.search_index import build_search_index
sha = hashlib.sha256()
for output in build_search_index(synthetic(200)):
    sha.update(output.path.encode() + output.data)
print(sha.hexdigest())
"""


def test_same_bytes_whatever_the_hash_seed() -> None:
    """Sets and dicts of strings iterate in a per-process order; none may leak out."""
    digests = {
        subprocess.run(
            [sys.executable, "-c", HASHED_BUILD, str(ROOT / "src"), str(ROOT / "tests")],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1


def test_shards_partition_the_terms_in_order(built: dict[str, bytes]) -> None:
    meta = load(built, "meta.json")
    firsts = [first for first, _, _ in meta["shards"]]
    assert firsts == sorted(firsts, key=search_index.utf16)
    for i, (first, size, _) in enumerate(meta["shards"]):
        data = built[shard_path(built, i)]
        terms = list(json.loads(data))
        assert size == len(data)
        assert terms[0] == first
        assert all(shard_for(firsts, term) == i for term in terms)
        assert size <= search_index.SHARD_TARGET or len(terms) == 1


def shard_for(firsts: list[str], term: str) -> int:
    """shardFor() of search.js."""
    keys = [search_index.utf16(f) for f in firsts]
    return max(0, bisect.bisect_right(keys, search_index.utf16(term)) - 1)


def prefix_budget() -> int:
    match = re.search(r"PREFIX_BUDGET = (\d+) \* 1024", SEARCH_JS.read_text())
    assert match, "PREFIX_BUDGET moved in search.js"
    return int(match[1]) * KB


def max_terms() -> int:
    match = re.search(r"MAX_TERMS = (\d+);", SEARCH_JS.read_text())
    assert match, "MAX_TERMS moved in search.js"
    return int(match[1])


def planned_shards(meta: dict, query: str) -> list[int]:
    """The shards search.js loads for a query (planTerm()), last word as a prefix."""
    firsts = [first for first, _, _ in meta["shards"]]
    words = list(dict.fromkeys(fold(w) for w in tokenize(query)))
    needed = {shard_for(firsts, w) for w in words}
    last = shard_for(firsts, words[-1])
    prefix = [last]
    while prefix[-1] + 1 < len(firsts) and firsts[prefix[-1] + 1].startswith(words[-1]):
        prefix.append(prefix[-1] + 1)
    if sum(meta["shards"][i][1] for i in prefix[1:]) <= prefix_budget():
        needed.update(prefix)
    return sorted(needed)


QUERIES = ["khoa học công nghệ", "đo lường chất lượng", "Thanh Hóa", "sở hữu trí tuệ", "chuyển"]


@pytest.mark.parametrize("query", QUERIES)
def test_a_query_downloads_at_most_300_kb_at_10000_articles(
    built: dict[str, bytes], query: str
) -> None:
    """Measure at 2,000 articles and scale what grows with the article count by 5.

    The shard table and every term's postings grow linearly; a shard is cut at
    SHARD_TARGET, so at 10,000 a loaded shard is at most the larger of its
    size now and five times the query's own terms in it. Result records do
    not grow: the ten most expensive ones of the whole index are counted.
    """
    scale = 10_000 / 2000
    meta = load(built, "meta.json")
    words = {fold(w) for w in tokenize(query)}
    projected = scale * table_bytes(built)
    for i in planned_shards(meta, query):
        terms = shard(built, i)
        own = sum(len(fragment(t, v)) for t, v in terms.items() if t in words)
        projected += max(meta["shards"][i][1], scale * own)
    projected += largest_records(built)
    assert projected <= BUDGET


def table_bytes(built: dict[str, bytes]) -> int:
    """What every query loads whatever its words: the shard table and the order by date."""
    return sum(len(built[f"{search_index.INDEX_DIR}/{name}"]) for name in ("meta.json", "o.json"))


def fragment(term: str, forms: dict) -> bytes:
    return json.dumps({term: forms}, ensure_ascii=False, separators=(",", ":")).encode()


def largest_records(built: dict[str, bytes]) -> int:
    sizes = sorted(len(v) for k, v in built.items() if "/d/" in k)
    return sum(sizes[-RESULTS_SHOWN:])


def test_worst_case_query_stays_within_300_kb_at_10000_articles(built: dict[str, bytes]) -> None:
    """Any query: MAX_TERMS shards of the largest possible size plus the prefix budget."""
    meta = load(built, "meta.json")
    biggest_term = max(
        len(fragment(t, v)) for i in range(len(meta["shards"])) for t, v in shard(built, i).items()
    )
    # A shard is cut before it passes SHARD_TARGET, unless it is a single term.
    shard_at_10k = max(search_index.SHARD_TARGET, biggest_term * 5)
    worst = (
        5 * table_bytes(built)
        + max_terms() * shard_at_10k
        + prefix_budget()
        + largest_records(built)
    )
    assert worst <= BUDGET


def test_every_article_is_found_by_its_title_words(
    corpus: list[SearchEntry], built: dict[str, bytes]
) -> None:
    meta = load(built, "meta.json")
    firsts = [first for first, _, _ in meta["shards"]]
    shards: dict[int, dict] = {}
    decoded: dict[str, set[int]] = {}
    ids = {load_record(built, doc)[0]: doc for doc in oldest_first(built)}
    for e in corpus:
        for word in tokenize(e.title):
            folded = fold(word)
            if folded not in decoded:
                i = shard_for(firsts, folded)
                forms = shards.setdefault(i, shard(built, i))[folded].values()
                decoded[folded] = {d for p in forms for d, title in decode(p) if title}
            assert ids[e.url] in decoded[folded], (e.url, word)


def load_record(built: dict[str, bytes], doc: int) -> list:
    return load(built, f"d/{doc // search_index.DOCS_PER_FILE}.json")[
        doc % search_index.DOCS_PER_FILE
    ]


# ------------------------------------------------ search.js under Node ----

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")

HARNESS = """
const fs = require('fs');
const path = require('path');
const s = require(process.argv[2]);
const dir = process.argv[3];
const job = JSON.parse(fs.readFileSync(0, 'utf8'));
const engine = s.createEngine(async (p) =>
  JSON.parse(fs.readFileSync(path.join(dir, p.split('?')[0]), 'utf8')));
(async () => {
  const out = {
    queries: {},
    fold: job.words.map(s.fold),
    keys: job.words.map((w) => s.exactKey(w.toLowerCase())),
  };
  for (const q of job.queries) {
    const r = await engine.search(q);
    const docs = await engine.documents(r.ids);
    out.queries[q] = {
      urls: docs.map((d) => d.url),
      ids: r.ids,
      // The first page as the search page shows it.
      shown: s.byPhrase(docs.slice(0, job.page), r.terms).map((d) => d.url),
      terms: r.terms,
      marks: docs.slice(0, 3).map((d) =>
        s.excerpt(d.text, r.terms).filter((x) => x[1]).map((x) => x[0])),
    };
  }
  process.stdout.write(JSON.stringify(out));
})();
"""


def run_node(tmp_path: Path, outputs: dict[str, bytes], queries: list[str], words=()) -> dict:
    for name, data in outputs.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS)
    job = json.dumps({"queries": queries, "words": list(words), "page": RESULTS_SHOWN})
    index = tmp_path / search_index.INDEX_DIR
    done = subprocess.run(
        [NODE, str(harness), str(SEARCH_JS), str(index)],
        input=job,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


def test_search_js_reads_the_index_format_python_writes() -> None:
    match = re.search(r"const INDEX_FORMAT = (\d+);", SEARCH_JS.read_text())
    assert match, "INDEX_FORMAT moved in search.js"
    assert int(match[1]) == search_index.FORMAT


STALE_HARNESS = """
const s = require(process.argv[2]);
const meta = { format: s.INDEX_FORMAT + Number(process.argv[3]), v: 'x', n: 0, ids: 64, k: 1,
  shards: [['', 2, 'x']] };
const files = { 'meta.json': meta, 'o.json': '' };
const engine = s.createEngine(async (p) => files[p.split('?')[0]] ?? {});
engine.search('khoa học').then(
  (r) => process.stdout.write('found ' + r.ids.length),
  (e) => process.stdout.write(e instanceof s.StaleIndex ? 'stale' : 'error ' + e));
"""


@needs_node
@pytest.mark.parametrize(("change", "outcome"), [(0, "found 0"), (-1, "stale"), (1, "stale")])
def test_search_js_refuses_an_index_of_another_format(
    tmp_path: Path, change: int, outcome: str
) -> None:
    """A page the browser kept from before a deploy asks for a reload, not for wrong files."""
    harness = tmp_path / "stale.js"
    harness.write_text(STALE_HARNESS)
    done = subprocess.run(
        [NODE, str(harness), str(SEARCH_JS), str(change)],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert done.stdout == outcome


RANKING = [
    entry(1, "Tin tức", "Bài này nói về hóc búa.", day=9),
    entry(2, "Tin tức", "Hội thảo khoa học của tỉnh.", day=5),
    entry(3, "Hội nghị khoa học", "Báo cáo.", day=3),
    entry(4, "Tin tức", "Một tài liệu khoa hoc viết không dấu.", day=8),
    entry(5, "Tin tức", "Nghiệm thu đề tài khoa học cấp tỉnh.", day=7),
    entry(6, "Kiểm định đo lường", "Thanh Hóa tăng cường quản lý.", day=4),
    entry(7, "Tin tức", nfd("Hội nghị ở Thanh Hoá về đo lường."), day=6),
    entry(8, "Tin tức", "Thanh hoa quả và rau.", day=2),
    entry(9, "Bài toán hóc búa", "Lời giải.", day=1),
]


@needs_node
def test_search_js_ranks_like_the_issue_asks(tmp_path: Path) -> None:
    queries = ["học", "khoa hoc ", "khoa học ", "Thanh Hoa", "Thanh Hóa", "đo lường", "do luong"]
    queries.append(nfd("khoa học "))
    got = run_node(tmp_path, files(build_search_index(RANKING)), queries)["queries"]

    def urls(query: str) -> list[str]:
        return got[query]["urls"]

    # Exact "học" first (title before body, then newer), then folded "hoc"/"hóc",
    # even a folded match in a title.
    assert urls("học") == [f"tin/bai-{n}/" for n in (3, 5, 2, 9, 1, 4)]
    # Without diacritics no form is preferred: title first, then newer first.
    assert urls("khoa hoc ") == ["tin/bai-3/", "tin/bai-4/", "tin/bai-5/", "tin/bai-2/"]
    assert urls("khoa học ")[-1] == "tin/bai-4/"
    assert urls(nfd("khoa học ")) == urls("khoa học ")
    assert set(urls("Thanh Hoa")) == {"tin/bai-6/", "tin/bai-7/", "tin/bai-8/"}
    # "Thanh Hóa" exactly (either tone placement, either normal form) before "thanh hoa".
    assert urls("Thanh Hóa") == ["tin/bai-7/", "tin/bai-6/", "tin/bai-8/"]
    assert urls("đo lường") == ["tin/bai-6/", "tin/bai-7/"]
    assert set(urls("do luong")) == set(urls("đo lường"))
    assert got["khoa học "]["marks"][1] == ["khoa", "học"]


@needs_node
def test_search_js_finds_and_marks_either_spelling_of_a_word(tmp_path: Path) -> None:
    spelled = [
        entry(1, "Tin tức", "Hội thảo kỹ thuật đo lường.", day=3),
        entry(2, "Kĩ thuật mới", "Báo cáo.", day=2),
        entry(3, "Tin tức", "Kỳ họp thứ nhất.", day=1),
        entry(4, "Tin tức", "\u00d0ồng hồ đo.", day=1),  # Ð for Đ, from an old encoding
    ]
    queries = ["kĩ thuật", "kỹ ", "ky ", "đồng hồ"]
    got = run_node(tmp_path, files(build_search_index(spelled)), queries)
    # Either spelling is the word typed: exact, the title first; "kỳ" is only folded alike.
    assert got["queries"]["kĩ thuật"]["urls"] == ["tin/bai-2/", "tin/bai-1/"]
    assert got["queries"]["kỹ "]["urls"] == ["tin/bai-2/", "tin/bai-1/", "tin/bai-3/"]
    assert got["queries"]["kĩ thuật"]["marks"][1] == ["kỹ", "thuật"]
    # Typed without marks, "kỳ" (another word) is found too.
    assert set(got["queries"]["ky "]["urls"]) == {"tin/bai-1/", "tin/bai-2/", "tin/bai-3/"}
    assert got["queries"]["đồng hồ"]["marks"] == [["\u00d0ồng", "hồ"]]


@needs_node
def test_search_js_finds_an_abbreviation_typed_with_or_without_its_ampersand(
    tmp_path: Path,
) -> None:
    written = [
        entry(1, "Tin tức", "Sở KH&CN tổ chức hội nghị.", day=3),
        entry(2, "KHCN cơ sở", "Báo cáo.", day=2),
        entry(3, "Tin tức", "Khoa học và công nghệ.", day=1),
    ]
    got = run_node(tmp_path, files(build_search_index(written)), ["KHCN", "KH&CN", "khc"])
    assert got["queries"]["KHCN"]["urls"] == ["tin/bai-2/", "tin/bai-1/"]
    assert got["queries"]["KH&CN"]["urls"] == ["tin/bai-1/"]
    assert got["queries"]["khc"]["urls"] == ["tin/bai-2/", "tin/bai-1/"]
    # The excerpt marks the word as it is written, whole or by its parts.
    assert got["queries"]["KHCN"]["marks"] == [[], ["KH&CN"]]
    assert got["queries"]["khc"]["marks"] == [[], ["KH&CN"]]
    assert got["queries"]["KH&CN"]["marks"] == [["KH", "CN"]]


PHRASES = [
    entry(1, "Chuyển giao công nghệ, đổi mới và số hóa", "Báo cáo.", day=9),  # apart
    entry(2, "Tin tức", "Tỉnh đẩy mạnh chuyển đổi số.", day=8),  # together in the text
    entry(3, "Tin tức", "Số chuyển đổi được công bố.", day=7),  # together, in another order
    entry(4, "Tin tức", "Chuyển đổi sang số liệu mới.", day=6),  # a word between
    entry(5, "Hội thảo chuyển đổi số", "Báo cáo.", day=5),  # together in the title
    entry(6, "Kế hoạch chuyển đổi", "Số hóa hồ sơ.", day=4),  # the title, then the text
    entry(7, "Tin tức", nfd("Hướng dẫn CHUYỂN ĐỔI SỐ."), day=3),  # together, another form
    entry(8, "Tin tức", "Sở KH&CN chủ trì.", day=2),
    entry(9, "Tin tức", "KH&CN của sở.", day=10),
]


@needs_node
def test_results_shown_with_the_words_together_and_in_order_come_first(tmp_path: Path) -> None:
    queries = ["chuyển đổi số ", "chuyen doi so ", "chuyển đổi s", "số ", "sở khcn ", "KH&CN "]
    got = run_node(tmp_path, files(build_search_index(PHRASES)), queries)["queries"]

    def numbers(query: str, key: str) -> list[int]:
        return [int(url.split("-")[1].rstrip("/")) for url in got[query][key]]

    # The ranking puts titles with all the words first, whether together or apart...
    assert numbers("chuyển đổi số ", "urls") == [1, 5, 6, 2, 3, 4, 7]
    # ... the page shows them together in the title first, then in the text, each in
    # the ranking's order; apart, reversed, a word between or split by the title: after.
    assert numbers("chuyển đổi số ", "shown") == [5, 2, 7, 1, 6, 3, 4]
    assert numbers("chuyen doi so ", "shown") == [5, 2, 7, 1, 6, 3, 4]
    # The last word while it is typed is a prefix there too: "chuyển đổi sang" is together.
    assert numbers("chuyển đổi s", "urls") == [1, 5, 6, 2, 3, 4, 7]
    assert numbers("chuyển đổi s", "shown") == [5, 2, 4, 7, 1, 6, 3]
    # One word: nothing to have together; the ranking's order.
    assert numbers("số ", "shown") == numbers("số ", "urls") != []
    # An abbreviation is together with the word before it, written either way; both have
    # "KH&CN" together: the ranking's order (newer first).
    assert numbers("sở khcn ", "urls") == [9, 8]
    assert numbers("sở khcn ", "shown") == [8, 9]
    assert numbers("KH&CN ", "shown") == numbers("KH&CN ", "urls") == [9, 8]


@needs_node
def test_search_js_prefix_search_of_the_last_word(tmp_path: Path) -> None:
    got = run_node(tmp_path, files(build_search_index(RANKING)), ["khoa họ", "thanh h", "kiểm đ"])
    assert got["queries"]["khoa họ"]["urls"][0] == "tin/bai-3/"
    assert len(got["queries"]["khoa họ"]["urls"]) == 4
    assert len(got["queries"]["thanh h"]["urls"]) == 3
    assert got["queries"]["kiểm đ"]["urls"] == ["tin/bai-6/"]


@needs_node
def test_a_last_word_too_short_to_look_up_does_not_empty_the_results(
    tmp_path: Path, built: dict[str, bytes]
) -> None:
    got = run_node(tmp_path, built, ["khoa ", "khoa t", "khoa t "])["queries"]
    # "t" while typed would load too many shards as a prefix: "khoa" decides for now...
    assert got["khoa t"]["urls"] == got["khoa "]["urls"] != []
    assert [t["fold"] for t in got["khoa t"]["terms"]] == ["khoa"]
    # ... but "t" typed as a whole word (a space after it) is a word to match.
    assert [t["fold"] for t in got["khoa t "]["terms"]] == ["khoa", "t"]


@needs_node
def test_search_js_leaves_out_the_query_words_the_index_leaves_out(tmp_path: Path) -> None:
    """Every word of a query must match: one the index cannot hold (a pasted code) would
    leave the others nothing to find."""
    longest = "d" * search.MAX_TOKEN
    longer = longest + "x"
    wide = "\U0001d400" * 30  # a letter of two UTF-16 units: 60 in JavaScript, 30 in Python
    written = [
        entry(1, "Tin tức", f"Hội nghị {longest} {longer} {wide}.", day=2),
        entry(2, "Hội nghị", "Báo cáo.", day=1),
    ]
    assert search._key(longest) and search._key(wide) and not search._key(longer)
    code = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    queries = ["hội nghị ", f"hội nghị {code} ", f"{code} hội ngh", longest, wide, longer, code]
    got = run_node(tmp_path, files(build_search_index(written)), queries)["queries"]
    assert got["hội nghị "]["urls"] == ["tin/bai-2/", "tin/bai-1/"]
    assert got[f"hội nghị {code} "]["urls"] == got["hội nghị "]["urls"]
    assert got[f"{code} hội ngh"]["urls"] == got["hội nghị "]["urls"]  # prefix search kept
    assert [t["fold"] for t in got[f"hội nghị {code} "]["terms"]] == ["hoi", "nghi"]
    # As long as the index holds, counted as Python counts: found.
    assert got[longest]["urls"] == got[wide]["urls"] == ["tin/bai-1/"]
    # Longer: no word to look up, as the article's own "ddd...x" is none to find.
    assert got[longer]["terms"] == got[code]["terms"] == []
    assert got[longer]["urls"] == got[code]["urls"] == []


@needs_node
def test_search_js_folds_like_python(tmp_path: Path) -> None:
    words = [
        "Đo",
        "lường",
        nfd("Hoá"),
        "hóa",
        "học",
        "ĐẮK",
        "nghệ",
        "Ωμέγα",
        "ﬁ",
        "2024",
        "\u00d0ồng",
        "Kỹ",
        "quí",
        "Lý",
        "Y",
        "tuỳ",
    ]
    got = run_node(tmp_path, files(build_search_index(RANKING)), [], words)
    assert got["fold"] == [fold(w) for w in words]
    assert got["keys"] == [exact_key(w.lower()) for w in words]


def reference(corpus: list[Sample], terms: list[dict]) -> list[str]:
    """A brute-force ranking straight from the articles' text, to check search.js against."""
    texts = {sample.entry.url: sample.text for sample in corpus}
    order = search_index._ordered(sample.entry for sample in corpus)
    ranked = []
    for doc, e in enumerate(order):
        title = set(tokenize(e.title))
        body = tokenize(texts[e.url])
        forms = [(fold(w), exact_key(w), w in title) for w in title.union(body)]
        levels = []
        for t in terms:
            best = 0
            for folded, key, in_title in forms:
                level = reference_level(t, folded, key)
                best = max(best, level * 2 + in_title if level else 0)
            levels.append(best)
        if all(levels):
            counts = [sum(c >> 1 >= n for c in levels) for n in (4, 3, 2)]
            ranked.append(((*counts, sum(c & 1 for c in levels)), doc, e.url))  # newer: larger id
    return [url for *_, url in sorted(ranked, reverse=True)]


def reference_level(t: dict, folded: str, key: str) -> int:
    whole = folded == t["fold"]
    if not whole and not (t["prefix"] and folded.startswith(t["fold"])):
        return 0
    if t["plain"] or key == t["key"]:
        return 4 if whole else 2
    if whole:
        return 3
    base, tones = key.rstrip(TONE_MARKS), key[len(key.rstrip(TONE_MARKS)) :]
    q_base = t["key"].rstrip(TONE_MARKS)
    return 2 if base.startswith(q_base) and tones == t["key"][len(q_base) :] else 1


@needs_node
def test_search_js_agrees_with_a_brute_force_ranking(
    tmp_path: Path, corpus_samples: list[Sample]
) -> None:
    sample = corpus_samples[:300]
    queries = ["khoa học", "Thanh hoá", "đổi mới sáng", "ĐO LƯỜNG", "trí tuệ nhân", "xyz"]
    entries = [s.entry for s in sample]
    got = run_node(tmp_path, files(build_search_index(entries)), queries)["queries"]
    for query in queries:
        assert got[query]["urls"] == reference(sample, got[query]["terms"]), query


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """The files whose bytes differ, added and removed ones included."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def records(outputs: dict[str, bytes]) -> set[str]:
    return {p for p in outputs if "/d/" in p}


@pytest.mark.parametrize("change", ["delete the oldest", "delete one", "back-date the newest"])
def test_ids_are_stable_so_few_records_change(
    corpus: list[SearchEntry], built: dict[str, bytes], change: str
) -> None:
    """Ids are not ranks: an article going or moving leaves (nearly) all other records alone."""
    ordered = search_index._ordered(corpus)
    entries = {
        "delete the oldest": ordered[1:],
        "delete one": ordered[:700] + ordered[701:],
        "back-date the newest": [
            replace(ordered[-1], sort_key="1999-01-01T00:00:00+07:00"),
            *ordered[:-1],
        ],
    }[change]
    after = files(build_search_index(entries))
    # Its own record, and the few of a run of hash collisions after it.
    assert len(changed(built, after) & (records(built) | records(after))) <= 5
    assert f"{search_index.INDEX_DIR}/o.json" in changed(built, after)


def test_a_new_article_changes_no_other_record(
    corpus: list[SearchEntry], built: dict[str, bytes]
) -> None:
    newest = replace(entry(99999, "Tin mới nhất"), sort_key="2099-01-01T00:00:00+07:00")
    after = files(build_search_index([*corpus, newest]))
    [added] = records(after) - records(built)
    assert changed(built, after) & records(after) == {added}
    assert oldest_first(after) == [*oldest_first(built), int(added.split("/")[-1][:-5])]


def test_a_posting_that_grows_moves_no_shard_boundary(
    corpus_samples: list[Sample], built: dict[str, bytes]
) -> None:
    sample = corpus_samples[100]
    words = [w for w in COMMON[40:80] if exact_key(w) not in sample.entry.indexed.body_terms]
    grown = replace(
        sample.entry, indexed=index_text(sample.entry.title, f"{sample.text} {' '.join(words)}")
    )
    entries = [grown if s is sample else s.entry for s in corpus_samples]
    after = files(build_search_index(entries))
    before_table, after_table = (
        load(built, "meta.json")["shards"],
        load(after, "meta.json")["shards"],
    )
    assert [first for first, _, _ in after_table] == [first for first, _, _ in before_table]
    firsts = [first for first, _, _ in after_table]
    shards = {shard_path(after, shard_for(firsts, fold(w))) for w in words}
    assert changed(built, after) - shards == {f"{search_index.INDEX_DIR}/meta.json"}


def test_new_shards_in_the_middle_rename_none_after_them(
    corpus: list[SearchEntry], built: dict[str, bytes]
) -> None:
    """A deploy uploads what changed: shards are named by their first term, not their place."""
    # Hundreds of new words starting with "bz" sort among the b's, making shards of their own.
    words = " ".join(f"bz{n:04d}" for n in range(1500))
    newest = replace(entry(99999, "Bz", words), sort_key="2099-01-01T00:00:00+07:00")
    after = files(build_search_index([*corpus, newest]))
    before_table = load(built, "meta.json")["shards"]
    after_table = load(after, "meta.json")["shards"]
    assert len(after_table) >= len(before_table) + 2
    # Past the new words, the cuts fall where they fell before (see _pack_shards): each such
    # shard holds what it held, in the file it had, though its place in the table moved.
    kept = {(first, size) for first, size, _ in before_table}
    same = [i for i, (first, size, _) in enumerate(after_table) if (first, size) in kept]
    same = [i for i in same if after_table[i][0] > "bz"]
    assert len(same) > 10
    for i in same:
        assert built.get(shard_path(after, i)) == after[shard_path(after, i)]


def test_shards_whose_first_terms_hash_alike_get_distinct_names() -> None:
    # "w52890" and "w55286" share the 32-bit hash a name is made of.
    names = search_index._shard_names(["a", "w52890", "w55286"])
    assert names[1] == "af973b78" and len(set(names)) == 3


def _made(
    entries: list[SearchEntry], names: dict[str, str], known: dict[bytes, Any]
) -> tuple[tuple[Output, ...], dict[bytes, Any]]:
    """index_files' files, its records made too, and its blocks."""
    files, records, blocks = search_index.index_files(entries, names, known)
    return (*files, *(record.output() for record in records)), blocks


def test_known_blocks_are_reused_and_give_the_same_bytes(corpus_samples: list[Sample]) -> None:
    entries = [s.entry for s in corpus_samples[:600]]
    _, memo = _made(entries, {}, {})
    edited = replace(entries[10], title="Tiêu đề mới", indexed=index_text("Tiêu đề mới", "Mới."))
    entries[10] = edited
    again, memo_again = _made(entries, {}, memo)
    assert again == _made(entries, {}, {})[0]
    assert len(memo_again.keys() - memo.keys()) == 1  # one block made anew
    # A value under a block's key that is not a block is never trusted.
    assert _made(entries, {}, dict.fromkeys(memo_again, None))[0] == again
    # Category names are shown in the records only: a new name remakes them, not a block.
    renamed, memo_renamed = _made(entries, {"Tin hoạt động": "Tin"}, memo_again)
    assert renamed == _made(entries, {"Tin hoạt động": "Tin"}, {})[0]
    assert memo_renamed.keys() == memo_again.keys()
    assert renamed != again


def test_blocks_made_on_two_cores_are_those_made_on_one(corpus: list[SearchEntry]) -> None:
    from sokhcn_site.products import MIN_SHARED_BLOCKS, made_blocks

    shared = search_index.index_files(corpus, {}, {}, made_blocks)
    assert len(shared[2]) >= MIN_SHARED_BLOCKS
    assert shared[0] == search_index.index_files(corpus, {}, {})[0]
    assert shared[2] == search_index.index_files(corpus, {}, {})[2]


def test_assign_ids_unique_and_stable() -> None:
    urls = [f"tin/bai-{i}/" for i in range(1000)]  # oldest first
    ids, size = search_index.assign_ids(urls)
    assert size == 2048 and len(set(ids)) == len(urls) and max(ids) < size + len(urls)
    assert search_index.assign_ids([*urls, "tin/moi/"])[0][:-1] == ids  # the newest moves none
    for fewer in (urls[1:], urls[:500] + urls[501:]):
        left = dict(zip(fewer, search_index.assign_ids(fewer)[0], strict=True))
        assert sum(left[url] != doc for url, doc in zip(urls, ids, strict=True) if url in left) <= 2


def test_the_excerpt_text_is_the_start_of_the_body_cut_at_a_word() -> None:
    body = "đầu " + "chữ " * 1000
    text = json.loads(index_text("Tiêu đề", body).text_json)
    assert text.startswith("đầu chữ") and len(text) <= search.TEXT_LIMIT
    assert not text.endswith((" ", "ch", "c"))
    # Everything is still indexed, the excerpt text only is cut.
    assert exact_key("cuối") in index_text("Tiêu đề", body + " cuối").body_terms


def test_the_excerpt_text_is_the_flat_body_cut_whatever_its_white_space() -> None:
    # The excerpt flattens only a start of the body: it must be the start of the flat body.
    rng = random.Random(7)
    words = ["tin", "khoa", "học", "công", "nghệ", "Thanh", "Hóa", "a" * 60]
    spaces = [" ", "  ", "\n\n", "\t", " \n  " * 40, " " * 700]
    for _ in range(300):
        parts = [rng.choice(words) + rng.choice(spaces) for _ in range(rng.randrange(1, 900))]
        body = rng.choice(spaces) + "".join(parts)
        line = " ".join(body.split())
        if len(line) > search.TEXT_LIMIT:
            cut = line.rfind(" ", 0, search.TEXT_LIMIT + 1)
            line = line[: cut if cut > search.TEXT_LIMIT // 2 else search.TEXT_LIMIT]
        assert json.loads(index_text("Tiêu đề", body).text_json) == line


def test_short_code_table_is_vlq_of_every_value() -> None:
    assert ["", *map(search_index._vlq, range(1 << 15))] == search_index._SHORT
