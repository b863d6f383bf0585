/*
 * Client of the static search index built by sokhcn_site/search.py.
 *
 * The pure part (folding, query parsing, ranking, excerpts and the engine
 * that loads index files through an injected loader) runs in browsers and
 * under Node, where it is exported for the tests. The page part wires it
 * to <input id="q">, <p id="search-status"> and <ol id="results">.
 */
(function () {
  'use strict';

  // Keep in step with _TOKEN_RE in search.py: letters, digits, combining marks.
  const TOKEN_RE = /[\p{L}\p{N}\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+/gu;
  const MARK_RE = /\p{M}/gu;
  // The five Vietnamese tone marks after NFD (huyền, sắc, ngã, hỏi, nặng).
  const TONE_RE = /[\u0300\u0301\u0303\u0309\u0323]/g;
  const TONE_CHARS = '\u0300\u0301\u0303\u0309\u0323';
  const VLQ = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const VLQ_VALUE = new Int8Array(128).fill(-1);
  for (let i = 0; i < VLQ.length; i++) VLQ_VALUE[VLQ.charCodeAt(i)] = i;

  // The index layout this script reads: FORMAT in search_index.py. A page kept by the
  // browser from before a deploy that changed it would read the new files wrongly.
  const INDEX_FORMAT = 5;
  // Eight words bound the shards a query can fetch (see search.py).
  const MAX_TERMS = 8;
  // Longer words (folded) are not indexed: MAX_TOKEN in search.py. Every word of a query must
  // match, so one of them (a pasted address) would leave the others nothing to find.
  const MAX_TOKEN = 40;
  // Extra shard bytes a prefix search of the last word may cost; beyond this
  // ("t", "th"...) the word is matched whole, to stay far inside 300 KB.
  const PREFIX_BUDGET = 64 * 1024;
  // Levels of a match, best first (see rank()).
  const WHOLE_EXACT = 4;
  const WHOLE_FOLDED = 3;
  const PREFIX_EXACT = 2;
  const PREFIX_FOLDED = 1;

  // Syllables spelled with a final "y" or "i" alike ("kỹ", "kĩ"): _Y_SYLLABLES in search.py.
  const Y_SYLLABLES = new Set(['hy', 'ky', 'ly', 'my', 'sy', 'ty', 'quy']);

  /** A word lower-cased, without diacritics, đ (and ð, old encodings' Đ) -> d. */
  function bare(word) {
    return word.toLowerCase().normalize('NFD').replace(MARK_RE, '').replace(/[đð]/g, 'd');
  }

  /** bare(), and the "i" of a syllable spelled with "y" or "i" alike (as search.py). */
  function fold(word) {
    return iForY(bare(word));
  }

  function iForY(base) {
    return Y_SYLLABLES.has(base) ? base.slice(0, -1) + 'i' : base;
  }

  /** Diacritic-exact form of a lower-case word, tone marks moved last ("hoá" = "hóa"). */
  function exactKey(token) {
    const decomposed = token.normalize('NFD');
    const tones = (decomposed.match(TONE_RE) || []).sort().join('');
    return iForY(decomposed.replace(TONE_RE, '').normalize('NFC')) + tones;
  }

  /** Lower-case NFC words of a text. */
  function tokenize(text) {
    return text.normalize('NFC').toLowerCase().match(TOKEN_RE) || [];
  }

  /** Whether the index leaves out words of this fold, as _key in search.py does. */
  function tooLong(folded) {
    return [...folded].length > MAX_TOKEN; // code points, as Python's len() counts
  }

  /** Whether the query has a word the index leaves out (queryTerms() leaves it out too). */
  function hasTooLong(query) {
    return tokenize(query).some((word) => tooLong(fold(word)));
  }

  function splitKey(key) {
    let end = key.length;
    while (end > 0 && TONE_CHARS.includes(key[end - 1])) end--;
    return [key.slice(0, end), key.slice(end)];
  }

  /**
   * Query terms: {fold, key, plain, prefix}. plain: typed without diacritics,
   * so no form is preferred. prefix: the last word, possibly still being typed.
   */
  function parseQuery(query) {
    return queryTerms(query).slice(0, MAX_TERMS);
  }

  /**
   * Every distinct term of a query the index can hold, those past MAX_TERMS too (parseQuery
   * leaves them out).
   */
  function queryTerms(query) {
    const words = tokenize(query);
    const typing = words.length > 0 && /[\p{L}\p{N}\p{M}]$/u.test(query.normalize('NFC'));
    const terms = [];
    const seen = new Set();
    words.forEach((word, i) => {
      const folded = fold(word);
      if (!folded || tooLong(folded)) return;
      const key = exactKey(word);
      const id = folded + ' ' + key;
      if (seen.has(id)) return;
      seen.add(id);
      const plain = bare(word) === word;
      terms.push({ fold: folded, key, plain, prefix: typing && i === words.length - 1 });
    });
    return terms;
  }

  /** Index of the shard whose range holds `term` (firsts sorted, UTF-16 order). */
  function shardFor(firsts, term) {
    let lo = 0;
    let hi = firsts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (firsts[mid] <= term) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Shards to load for one term; demotes a prefix term whose range is too big. */
  function planTerm(meta, term) {
    const firsts = meta.shards.map((s) => s[0]);
    const first = shardFor(firsts, term.fold);
    if (!term.prefix) return [first];
    let last = first;
    let extra = 0;
    while (last + 1 < firsts.length && firsts[last + 1].startsWith(term.fold)) {
      last++;
      extra += meta.shards[last][1];
    }
    if (extra > PREFIX_BUDGET) {
      term.prefix = false;
      term.tooShort = true;
      return [first];
    }
    const range = [];
    for (let i = first; i <= last; i++) range.push(i);
    return range;
  }

  /** The level of one stored form for a query term (0: no match). */
  function levelOf(term, folded, key) {
    const whole = folded === term.fold;
    if (!whole && !(term.prefix && folded.startsWith(term.fold))) return 0;
    let exact = term.plain || key === term.key;
    if (!exact && !whole) {
      const [base, tones] = splitKey(key);
      const [qBase, qTones] = splitKey(term.key);
      exact = base.startsWith(qBase) && tones === qTones;
    }
    if (whole) return exact ? WHOLE_EXACT : WHOLE_FOLDED;
    return exact ? PREFIX_EXACT : PREFIX_FOLDED;
  }

  /** [[level, postings], ...] of a term in the loaded shards. */
  function collect(term, shards) {
    const found = [];
    for (const shard of shards) {
      const candidates = term.prefix ? Object.keys(shard) : [term.fold];
      for (const folded of candidates) {
        const forms = shard[folded];
        if (!forms || !folded.startsWith(term.fold)) continue;
        for (const key of Object.keys(forms)) {
          const level = levelOf(term, folded, key);
          if (level) found.push([level, forms[key]]);
        }
      }
    }
    return found;
  }

  /** Call fn(value) for each base64 VLQ number of `text`, in order. */
  function forEachVlq(text, fn) {
    let value = 0;
    let shift = 0;
    for (let i = 0; i < text.length; i++) {
      const digit = VLQ_VALUE[text.charCodeAt(i)];
      value |= (digit & 31) << shift;
      if (digit & 32) {
        shift += 5;
        continue;
      }
      fn(value);
      value = 0;
      shift = 0;
    }
  }

  /**
   * Decode a VLQ postings string (differences minus one between consecutive
   * codes doc * 2 + in title) into best codes (level*2 + in title) per document.
   */
  function applyPostings(codes, level, postings) {
    let code = -1;
    forEachVlq(postings, (value) => {
      code += value + 1;
      const doc = code >> 1;
      const best = level * 2 + (code & 1);
      if (doc < codes.length && best > codes[doc]) codes[doc] = best;
    });
  }

  /** age[id]: the rank by date of each document id (larger: newer), from o.json. */
  function ages(order, size) {
    const age = new Int32Array(size).fill(-1);
    let rank = 0;
    forEachVlq(order, (doc) => {
      if (doc < size) age[doc] = rank;
      rank++;
    });
    return age;
  }

  /**
   * Ranked document ids: documents matching every term (AND), ordered by
   * how many terms match whole and with their diacritics, then whole, then
   * as an exact prefix, then in the title; then newer first (by age[id]).
   * n is the size of the id space.
   */
  function rank(matches, n, age) {
    if (!matches.length) return [];
    const codes = matches.map((found) => {
      const best = new Uint8Array(n);
      for (const [level, postings] of found) applyPostings(best, level, postings);
      return best;
    });
    const ids = [];
    const scores = [];
    for (let doc = 0; doc < n; doc++) {
      let exact = 0, whole = 0, prefixExact = 0, title = 0;
      let all = true;
      for (let t = 0; t < codes.length; t++) {
        const code = codes[t][doc];
        if (!code) { all = false; break; }
        const level = code >> 1;
        if (level >= WHOLE_EXACT) exact++;
        if (level >= WHOLE_FOLDED) whole++;
        if (level >= PREFIX_EXACT) prefixExact++;
        title += code & 1;
      }
      if (all) {
        ids.push(doc);
        scores.push(((exact * 16 + whole) * 16 + prefixExact) * 16 + title);
      }
    }
    const order = ids.map((_, i) => i);
    order.sort((a, b) => scores[b] - scores[a] || age[ids[b]] - age[ids[a]]);
    return order.map((i) => ids[i]);
  }

  /**
   * A function word -> [term index, exact] (term index -1: no match) telling
   * whether a word of a text matches a query term, whole or as the typed prefix.
   */
  function wordMatcher(terms) {
    let matcher = matchers.get(terms);
    if (!matcher) {
      matcher = newMatcher(terms);
      matchers.set(terms, matcher);
    }
    return matcher;
  }

  // One matcher per parsed query, shared by all its results' excerpts.
  const matchers = new WeakMap();

  function newMatcher(terms) {
    const cache = new Map();
    return (word) => {
      let hit = cache.get(word);
      if (hit === undefined) {
        hit = NO_HIT;
        const lower = word.toLowerCase();
        const folded = iForY(foldLower(lower));
        for (let t = 0; t < terms.length; t++) {
          const term = terms[t];
          // Cheap folded test first: most words of a text match nothing.
          if (folded !== term.fold && !(term.prefix && folded.startsWith(term.fold))) continue;
          const level = levelOf(term, folded, exactKey(lower.normalize('NFC')));
          hit = [t, level === WHOLE_EXACT || level === PREFIX_EXACT];
          break;
        }
        cache.set(word, hit);
      }
      return hit;
    };
  }

  const NO_HIT = [-1, false];
  const foldedChars = new Map();

  /** bare() of an already lower-cased word, one cached character at a time. */
  function foldLower(lower) {
    let out = '';
    for (const ch of lower) {
      if (ch < '\u0080') {
        out += ch;
        continue;
      }
      let folded = foldedChars.get(ch);
      if (folded === undefined) {
        // Per character is the same as per word: NFD of a concatenation is
        // the concatenation of NFDs up to the order of marks, all removed.
        folded = bare(ch);
        foldedChars.set(ch, folded);
      }
      out += folded;
    }
    return out;
  }

  /** Split text into [[text, marked], ...] with the matching words marked. */
  function highlight(text, terms) {
    return markSegments(text, 0, text.length, terms);
  }

  function markSegments(text, start, end, terms) {
    const segments = [];
    let at = start;
    for (const [index, word] of wordHits(text, start, end, wordMatcher(terms))) {
      if (index > at) segments.push([text.slice(at, index), false]);
      segments.push([word, true]);
      at = index + word.length;
    }
    if (at < end) segments.push([text.slice(at, end), false]);
    return segments;
  }

  // Words joined by "&" ("KH&CN"), also indexed whole without it: _JOINED_RE in search.py.
  const JOINED_RE = new RegExp(`${TOKEN_RE.source}(?:&${TOKEN_RE.source})+`, 'uy');

  /**
   * [index, word, [term, exact]] of each word of text[start..end] that matches; "KH&CN" is
   * one word where "khcn" matches, else its parts are words.
   */
  function wordHits(text, start, end, match) {
    const hits = [];
    const words = new RegExp(TOKEN_RE.source, 'gu');
    words.lastIndex = start;
    let m;
    while ((m = words.exec(text)) && m.index + m[0].length <= end) {
      let word = m[0];
      let hit = match(word);
      if (text[m.index + word.length] === '&') {
        JOINED_RE.lastIndex = m.index;
        const joined = JOINED_RE.exec(text);
        const whole = joined && joined.index + joined[0].length <= end
          ? match(joined[0].replace(/&/g, '')) : NO_HIT;
        if (whole[0] >= 0) {
          [word, hit] = [joined[0], whole];
          words.lastIndex = m.index + word.length;
        }
      }
      if (hit[0] >= 0) hits.push([m.index, word, hit]);
    }
    return hits;
  }

  // One word, not global: whether the stretch between two matched words holds another.
  const WORD_RE = new RegExp(TOKEN_RE.source, 'u');

  /**
   * Whether `text` has the query's terms as consecutive words in their order, compared as
   * wordHits() compares them (folded; the last term as a prefix while it is typed).
   */
  function hasPhrase(text, terms) {
    let run = 0; // terms found in order so far, the last of them ending at `end`
    let end = 0;
    for (const [index, word, [term]] of wordHits(text, 0, text.length, wordMatcher(terms))) {
      if (run && WORD_RE.test(text.slice(end, index))) run = 0;
      run = term === run ? run + 1 : term === 0 ? 1 : 0;
      if (run === terms.length) return true;
      end = index + word.length;
    }
    return false;
  }

  /**
   * Records of results shown together, those whose title, then those whose text, has the
   * query's words together and in order first; otherwise in the order given. A Vietnamese
   * word is often several syllables ("chuyển đổi số"), which an article having them apart
   * is not about. Only the records fetched to be shown are read, so each ten shown are
   * ordered so, not all the results: the index has no word positions to do it with.
   */
  function byPhrase(docs, terms) {
    if (terms.length < 2) return docs;
    const placed = docs.map((doc) => [
      hasPhrase(doc.title, terms) ? 0 : hasPhrase(doc.text, terms) ? 1 : 2, doc,
    ]);
    placed.sort((a, b) => a[0] - b[0]); // stable: ties keep the ranking's order
    return placed.map(([, doc]) => doc);
  }

  /** About `width` characters of `text` around the densest cluster of matches, marked. */
  function excerpt(text, terms, width = 220) {
    const hits = wordHits(text, 0, text.length, wordMatcher(terms))
      .map(([index, , [term, exact]]) => [index, term, exact]);
    let start = 0;
    if (hits.length) {
      // The window with the most distinct terms, then the most matched with
      // their diacritics; the earliest such window wins.
      let best = -1;
      for (let i = 0; i < hits.length; i++) {
        const matched = new Set();
        const exacts = new Set();
        for (let j = i; j < hits.length && hits[j][0] < hits[i][0] + width * 0.7; j++) {
          matched.add(hits[j][1]);
          if (hits[j][2]) exacts.add(hits[j][1]);
        }
        const score = matched.size * 64 + exacts.size;
        if (score > best) { best = score; start = hits[i][0]; }
      }
      start = Math.max(0, start - Math.floor(width / 4));
    }
    if (start > 0) {
      const space = text.indexOf(' ', start);
      start = space < 0 || space - start > 30 ? start : space + 1;
    }
    let end = Math.min(text.length, start + width);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > start + width / 2) end = space;
    }
    const segments = markSegments(text, start, end, terms);
    if (start > 0) segments.unshift(['…', false]);
    if (end < text.length) segments.push(['…', false]);
    return segments;
  }

  /**
   * Search engine over an index reachable through load(path) -> Promise<object>,
   * paths relative to tim-kiem/index/. Files are loaded once and kept.
   */
  function createEngine(load) {
    const files = new Map();
    let metaPromise = null;
    let age = null; // the decoded o.json, computed once

    function get(path) {
      if (!files.has(path)) {
        const promise = load(path);
        promise.catch(() => files.delete(path));
        files.set(path, promise);
      }
      return files.get(path);
    }

    /** The shard table; `cache`: how to fetch it (a fetch() cache mode). */
    function meta(cache = 'no-cache') {
      if (!metaPromise) {
        metaPromise = load('meta.json', cache).then((info) => {
          if (info.format !== INDEX_FORMAT) throw new StaleIndex(info.format);
          return info;
        });
        metaPromise.catch(() => { metaPromise = null; });
      }
      return metaPromise;
    }

    /**
     * Whether the site was published again since meta.json was read (a file it named could
     * not be loaded): if so, all that was loaded is let go and the next search starts afresh.
     */
    async function renewed() {
      const before = metaPromise && (await metaPromise.catch(() => null));
      metaPromise = null;
      // Not revalidated: a server that dates files to the second may call it unchanged.
      const info = await meta('reload');
      if (before && info.v === before.v) return false;
      files.clear();
      age = null;
      return true;
    }

    async function search(query) {
      const info = await meta();
      let terms = parseQuery(query);
      if (!terms.length) return { terms, ids: [], n: info.n };
      let plans = terms.map((term) => planTerm(info, term));
      // A last word too short to look up as a prefix ("thanh h") would be matched whole and
      // find nothing while it is typed: until it is longer, the other words decide.
      if (terms.length > 1 && terms[terms.length - 1].tooShort) {
        terms = terms.slice(0, -1);
        plans = plans.slice(0, -1);
      }
      const needed = [...new Set(plans.flat())];
      const [order, ...loaded] = await Promise.all([
        get(`o.json?v=${info.v}`),
        ...needed.map((i) => get(`t-${info.shards[i][2]}.json?v=${info.v}`)),
      ]);
      const byIndex = new Map(needed.map((i, j) => [i, loaded[j]]));
      const started = now();
      if (!age || age.order !== order) age = { order, ranks: ages(order, info.ids) };
      const matches = terms.map((term, t) => collect(term, plans[t].map((i) => byIndex.get(i))));
      const ids = rank(matches, info.ids, age.ranks);
      return { terms, ids, n: info.n, rankMs: now() - started };
    }

    /** Records {url, title, date, category, text} of the given ids, in order. */
    async function documents(ids) {
      const info = await meta();
      const chunks = await Promise.all(
        ids.map((id) => get(`d/${Math.floor(id / info.k)}.json?v=${info.v}`)),
      );
      return ids.map((id, i) => {
        const [url, title, date, category, text] = chunks[i][id % info.k];
        return { id, url, title, date, category, text };
      });
    }

    return { meta, renewed, search, documents };
  }

  /** The index was built for another version of this script: the page must be reloaded. */
  class StaleIndex extends Error {
    constructor(format) {
      super(`search index format ${format}, this script reads ${INDEX_FORMAT}`);
      this.name = 'StaleIndex';
    }
  }

  function now() {
    return typeof performance !== 'undefined' ? performance.now() : Date.now();
  }

  const api = {
    fold, exactKey, tokenize, parseQuery, hasTooLong, shardFor, planTerm, levelOf, collect,
    ages, rank, byPhrase, highlight, excerpt, createEngine, PREFIX_BUDGET, INDEX_FORMAT,
    StaleIndex,
  };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;

  // ---------------------------------------------------------------- page ----

  function startPage() {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', startPage, { once: true });
      return;
    }
    const input = document.getElementById('q');
    const list = document.getElementById('results');
    const status = document.getElementById('search-status');
    if (!input || !list || !status) return;
    const page = new SearchPage(input, list, status);
    page.start();
  }

  const PAGE_SIZE = 10;
  const DEBOUNCE_MS = 150;
  const TEXT = {
    prompt: 'Nhập từ khóa để tìm bài viết.',
    loading: 'Đang tải…',
    none: (q) => `Không tìm thấy bài viết nào phù hợp với “${q}”.`,
    found: (n, q) => `Tìm thấy ${n.toLocaleString('vi-VN')} bài viết phù hợp với “${q}”.`,
    capped: ` Chỉ ${MAX_TERMS} từ đầu được dùng để tìm.`,
    long: ` Từ dài hơn ${MAX_TOKEN} ký tự (như mã hay địa chỉ trang web) không được dùng để tìm.`,
    onlyLong: `Từ dài hơn ${MAX_TOKEN} ký tự (như mã hay địa chỉ trang web) không được dùng để `
      + 'tìm. Hãy nhập những từ có trong bài viết cần tìm.',
    error: 'Không tải được dữ liệu tìm kiếm. Vui lòng thử lại sau.',
    stale: 'Trang tìm kiếm vừa được cập nhật. Vui lòng tải lại trang (F5) rồi tìm lại.',
    more: 'Xem thêm kết quả',
  };

  class SearchPage {
    constructor(input, list, status) {
      this.input = input;
      this.list = list;
      this.status = status;
      let base = document.documentElement.dataset.base || '/';
      if (!base.endsWith('/')) base += '/';
      this.base = base;
      this.indexUrl = new URL(base + 'tim-kiem/index/', location.href);
      this.engine = createEngine((path, cache) => this.load(path, cache));
      this.sequence = 0;
      this.timer = 0;
      this.bytes = 0;
      this.requests = 0;
      this.more = null;
      window.__searchTimings = window.__searchTimings || [];
    }

    async load(path, cache) {
      // meta.json is revalidated so a new build is seen; the rest carry ?v=<build>.
      const response = await fetch(new URL(path, this.indexUrl), cache ? { cache } : {});
      if (!response.ok) throw new Error(`${response.status} ${path}`);
      const buffer = await response.arrayBuffer();
      this.bytes += buffer.byteLength;
      this.requests++;
      return JSON.parse(new TextDecoder().decode(buffer));
    }

    start() {
      const query = new URLSearchParams(location.search).get('q') || '';
      this.input.value = query;
      this.input.addEventListener('input', () => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.run(this.input.value), DEBOUNCE_MS);
      });
      this.input.form?.addEventListener('submit', (event) => {
        event.preventDefault();
        clearTimeout(this.timer);
        this.run(this.input.value + ' ');
      });
      // The shard table is small: fetch it as soon as the reader may type.
      this.input.addEventListener('focus', () => this.engine.meta().catch(() => {}), { once: true });
      // A query sent (from an address, the header's form or Enter) is complete: its last word
      // is a word, not the start of one being typed.
      this.run(query + ' ');
    }

    /**
     * Whether `error` came of a new build of the site, which the engine now reads; throws
     * StaleIndex if that build's index is of a format this script does not read.
     */
    async renewed(error) {
      if (error instanceof StaleIndex) return false;
      try {
        return await this.engine.renewed();
      } catch (fresh) {
        if (fresh instanceof StaleIndex) throw fresh;
        return false;
      }
    }

    async run(raw, retry = true) {
      const sequence = ++this.sequence;
      const query = raw.trim();
      this.updateUrl(query);
      const timing = { query, start: now(), bytesBefore: this.bytes, requestsBefore: this.requests };
      if (!parseQuery(query).length) {
        this.clear();
        this.list.removeAttribute('aria-busy');
        this.setStatus(hasTooLong(query) ? TEXT.onlyLong : TEXT.prompt);
        return;
      }
      mark('search:start');
      this.setStatus(TEXT.loading);
      this.list.setAttribute('aria-busy', 'true');
      try {
        // Untrimmed: a trailing space means the last word is complete, not a prefix.
        const result = await this.engine.search(raw);
        timing.rankMs = result.rankMs;
        if (sequence !== this.sequence) return;
        const first = result.ids.slice(0, PAGE_SIZE);
        const docs = await this.engine.documents(first);
        if (sequence !== this.sequence) return;
        const renderStart = now();
        // Network and parsing time, without the ranking done in between.
        timing.fetchMs = renderStart - timing.start - timing.rankMs;
        mark('search:data');
        this.render(result, docs, query);
        mark('search:rendered');
        this.record(timing, result, renderStart);
      } catch (error) {
        if (sequence !== this.sequence) return;
        let failure = error;
        try {
          if (retry && (await this.renewed(error))) {
            if (sequence === this.sequence) this.run(raw, false);
            return;
          }
        } catch (stale) {
          failure = stale;
        }
        if (sequence !== this.sequence) return;
        this.clear();
        this.setStatus(failure instanceof StaleIndex ? TEXT.stale : TEXT.error);
        console.error(failure);
      } finally {
        if (sequence === this.sequence) this.list.removeAttribute('aria-busy');
      }
    }

    record(timing, result, renderStart) {
      const end = now();
      Object.assign(timing, {
        results: result.ids.length,
        renderMs: end - renderStart,
        // Work done after data arrived: ranking plus rendering, no network.
        // bytes and requests count every file fetched while the query ran.
        computeMs: timing.rankMs + (end - renderStart),
        totalMs: end - timing.start,
        bytes: this.bytes - timing.bytesBefore,
        requests: this.requests - timing.requestsBefore,
      });
      delete timing.bytesBefore;
      delete timing.requestsBefore;
      window.__searchTimings.push(timing);
      document.dispatchEvent(new CustomEvent('search:rendered', { detail: timing }));
    }

    updateUrl(query) {
      const url = new URL(location.href);
      if (query) url.searchParams.set('q', query);
      else url.searchParams.delete('q');
      if (url.href !== location.href) history.replaceState(history.state, '', url);
    }

    setStatus(text) {
      if (this.status.textContent !== text) this.status.textContent = text;
    }

    clear() {
      this.list.replaceChildren();
      this.removeMore();
    }

    removeMore() {
      if (this.more) this.more.remove();
      this.more = null;
    }

    render(result, docs, query) {
      this.clear();
      if (!result.ids.length) {
        this.setStatus(TEXT.none(query) + this.unused(query));
        return;
      }
      this.setStatus(TEXT.found(result.ids.length, query) + this.unused(query));
      this.append(docs, result.terms);
      this.offerMore(result, query, PAGE_SIZE);
    }

    /**
     * What the status adds when the query has words that are not used: too long for the
     * index, or past the first MAX_TERMS words it can hold.
     */
    unused(query) {
      const long = hasTooLong(query) ? TEXT.long : '';
      return long + (queryTerms(query).length > MAX_TERMS ? TEXT.capped : '');
    }

    append(docs, terms) {
      const fragment = document.createDocumentFragment();
      for (const doc of byPhrase(docs, terms)) fragment.append(this.item(doc, terms));
      this.list.append(fragment);
    }

    offerMore(result, query, shown) {
      this.removeMore();
      if (shown >= result.ids.length) return;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'search-more';
      button.textContent = TEXT.more;
      button.addEventListener('click', async () => {
        const sequence = this.sequence;
        button.disabled = true;
        try {
          const docs = await this.engine.documents(result.ids.slice(shown, shown + PAGE_SIZE));
          if (sequence !== this.sequence) return;
          this.append(docs, result.terms);
          this.offerMore(result, query, shown + PAGE_SIZE);
          // The button goes with the focus it had: the reader goes on at the first new result.
          this.list.children[shown]?.querySelector('a')?.focus();
        } catch (error) {
          if (sequence !== this.sequence) return;
          let text = TEXT.error;
          try {
            if (await this.renewed(error)) { // the ids were the old build's: search again
              this.run(query + ' ');
              return;
            }
          } catch {
            text = TEXT.stale;
          }
          button.disabled = false;
          this.setStatus(text);
          console.error(error);
        }
      });
      this.list.after(button);
      this.more = button;
    }

    item(doc, terms) {
      const li = document.createElement('li');
      li.className = 'search-result';
      const heading = document.createElement('h2');
      heading.className = 'search-result-title';
      const link = document.createElement('a');
      link.href = /^(?:[a-z]+:|\/)/i.test(doc.url) ? doc.url : this.base + doc.url;
      appendSegments(link, highlight(doc.title, terms));
      heading.append(link);
      const info = document.createElement('p');
      info.className = 'search-result-meta';
      const time = document.createElement('time');
      const [day, month, year] = doc.date.split('/');
      if (year) time.dateTime = `${year}-${month}-${day}`;
      time.textContent = doc.date;
      const category = document.createElement('span');
      category.className = 'search-result-category';
      category.textContent = doc.category;
      info.append(time, ' · ', category);
      const text = document.createElement('p');
      text.className = 'search-result-excerpt';
      appendSegments(text, excerpt(doc.text, terms));
      li.append(heading, info, text);
      return li;
    }
  }

  /** A User Timing mark, for browser tests (skipped where unsupported). */
  function mark(name) {
    if (typeof performance !== 'undefined' && performance.mark) performance.mark(name);
  }

  function appendSegments(parent, segments) {
    for (const [text, marked] of segments) {
      if (!marked) {
        parent.append(text);
        continue;
      }
      const mark = document.createElement('mark');
      mark.textContent = text;
      parent.append(mark);
    }
  }

  // Last, so that the constants and the class above are initialised.
  if (typeof document !== 'undefined') startPage();
})();
