// Kroniek web page: search, timeline, entity, story and document views.
//
// Plain JavaScript, no build step, no network beyond this server's API.
// Everything that comes from articles is put into the page as text (DOM
// text nodes, textContent, setAttribute on fixed attribute names); no
// HTML parsing of article data anywhere, so <script> shows as text.
'use strict';

(function () {
  const app = document.getElementById('app');
  const SVG = 'http://www.w3.org/2000/svg';
  const DAY = 86400000;

  // ------------------------------------------------------------ helpers

  // h('div', {class: 'x'}, 'text', child, ...): an element; strings are text nodes.
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }

  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVG, tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }

  function setAttrs(el, attrs) {
    if (!attrs) return;
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') {
        el.addEventListener(k.slice(2), v);
      } else {
        el.setAttribute(k, String(v));
      }
    }
  }

  function append(el, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }

  function link(hash, ...children) {
    return h('a', { href: hash }, ...children);
  }

  const enc = encodeURIComponent;

  function query(params) {
    const parts = [];
    for (const [k, v] of Object.entries(params)) {
      if (v !== undefined && v !== null && String(v).trim() !== '') {
        parts.push(enc(k) + '=' + enc(String(v).trim()));
      }
    }
    return parts.length ? '?' + parts.join('&') : '';
  }

  async function api(path) {
    const resp = await fetch(path, { headers: { Accept: 'application/json' } });
    let body;
    try {
      body = await resp.json();
    } catch (e) {
      throw new Error('the server answered ' + resp.status + ' without JSON');
    }
    if (!resp.ok) throw new Error(body && body.error ? body.error : 'HTTP ' + resp.status);
    return body;
  }

  function errorBox(e) {
    return h('p', { class: 'error', role: 'alert' }, String(e && e.message ? e.message : e));
  }

  function loading() {
    return h('p', { class: 'loading' }, 'Loading…');
  }

  // Only http(s) links from articles become clickable.
  function externalLink(url) {
    if (typeof url === 'string' && /^https?:\/\//i.test(url)) {
      return h('a', { href: url, rel: 'noopener noreferrer nofollow', target: '_blank' }, url);
    }
    return url ? h('span', null, String(url)) : null;
  }

  let entityNames = null;
  async function names() {
    if (entityNames) return entityNames;
    entityNames = new Map();
    try {
      const list = await api('/api/entities?limit=1000');
      for (const e of list.entities) entityNames.set(e.id, e);
    } catch (e) {
      // Names are a nicety: ids are shown instead.
    }
    return entityNames;
  }

  // A link to the entity page, or just the id when the corpus tables do
  // not know it (a document-local alias cluster such as local:3).
  function entityLink(id, map) {
    const e = map && map.get(id);
    return e ? link('#/entity/' + enc(id), e.name) : h('span', { class: 'meta' }, id);
  }

  // ------------------------------------------------------------ dates

  // A TIMEX3 value as a day interval [start, end) in ms since the epoch,
  // with its precision, or null when it is not a calendar date.
  // Milliseconds of a UTC date for any year (Date.UTC reads 0-99 as
  // 1900-1999; years before Christ are astronomical: 480 BC is -479).
  function utc(y, m = 0, d = 1) {
    const t = new Date(0);
    t.setUTCFullYear(y, m, d);
    return t.getTime();
  }

  // The year of a TIMEX3 value's year part: `2014`, `0079`, `BC0480`.
  function yearOf(bc, digits) {
    return bc ? 1 - +digits : +digits;
  }

  function yearLabel(y) {
    return y < 1 ? (1 - y) + ' BC' : String(y);
  }

  function interval(value) {
    if (typeof value !== 'string') return null;
    let m = /^(BC)?(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
    if (m) {
      m = [m[0], yearOf(m[1], m[2]), m[3], m[4]];
      const y = m[1];
      if (m[3]) {
        const t = utc(y, +m[2] - 1, +m[3]);
        return { start: t, end: t + DAY, precision: 'day' };
      }
      if (m[2]) {
        return { start: utc(y, +m[2] - 1, 1), end: utc(y, +m[2], 1), precision: 'month' };
      }
      return { start: utc(y, 0, 1), end: utc(y + 1, 0, 1), precision: 'year' };
    }
    m = /^(BC)?(\d{4})-(Q[1-4]|H[12]|SP|SU|FA|AU|WI)$/.exec(value);
    if (m) {
      const y = yearOf(m[1], m[2]);
      const part = m[3];
      const ranges = {
        Q1: [0, 3], Q2: [3, 6], Q3: [6, 9], Q4: [9, 12], H1: [0, 6], H2: [6, 12],
        SP: [2, 5], SU: [5, 8], FA: [8, 11], AU: [8, 11], WI: [11, 14],
      };
      const [a, b] = ranges[part];
      return { start: utc(y, a, 1), end: utc(y, b, 1), precision: part.startsWith('Q') ? 'quarter' : 'season' };
    }
    m = /^(\d{3})X$/.exec(value);
    if (m) {
      const y = +m[1] * 10;
      return { start: utc(y, 0, 1), end: utc(y + 10, 0, 1), precision: 'decade' };
    }
    return null;
  }

  function fmtDay(t) {
    const d = new Date(t);
    if (d.getUTCFullYear() < 1) return d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' + yearLabel(d.getUTCFullYear());
    return d.toISOString().slice(0, 10);
  }

  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  // ------------------------------------------------------------ status line

  async function status() {
    const el = document.getElementById('status');
    try {
      const hs = await api('/health');
      el.textContent = hs.documents + ' documents' + (hs.read_only ? ' · read-only' : '');
      el.title = hs.read_only_reason || '';
    } catch (e) {
      el.textContent = 'server unreachable';
    }
  }

  // ------------------------------------------------------------ router

  function parseHash() {
    const raw = location.hash.replace(/^#\/?/, '');
    const [path, qs] = raw.split('?');
    const params = new URLSearchParams(qs || '');
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    return { parts, params };
  }

  function setHash(path, params) {
    location.hash = '#/' + path + query(params || {});
  }

  async function route() {
    const { parts, params } = parseHash();
    const view = parts[0] || 'search';
    for (const a of document.querySelectorAll('[data-nav]')) {
      a.classList.toggle('active', a.getAttribute('data-nav') === view);
    }
    clear(app);
    app.removeAttribute('data-ready');
    const hash = location.hash;
    try {
      switch (view) {
        case 'search': return await searchView(params);
        case 'timeline': return await timelineView(params);
        case 'entities': return await entitiesView(params);
        case 'entity': return await entityView(parts[1] || '');
        case 'stories': return await storiesView();
        case 'story': return await storyView(parts[1] || '');
        case 'doc': return await docView(parts[1] || '');
        default: app.appendChild(errorBox('No such page: ' + view));
      }
    } catch (e) {
      app.appendChild(errorBox(e));
    } finally {
      // Lets tests (and scripts) know this view has finished loading.
      if (location.hash === hash) app.setAttribute('data-ready', hash);
    }
  }

  // ------------------------------------------------------------ search

  function field(label, input) {
    return h('label', { class: 'field' }, h('span', null, label), input);
  }

  async function searchView(params) {
    const q = h('input', { id: 'q', name: 'q', type: 'search', placeholder: 'aanslag, "Islamitische Staat", kalifaat -Irak', value: params.get('q') || '' });
    const from = h('input', { id: 'from', name: 'from', placeholder: 'YYYY[-MM[-DD]]', size: 10, value: params.get('from') || '' });
    const to = h('input', { id: 'to', name: 'to', placeholder: 'YYYY[-MM[-DD]]', size: 10, value: params.get('to') || '' });
    const lang = h('select', { id: 'lang', name: 'lang' },
      h('option', { value: '' }, 'any'), h('option', { value: 'nl' }, 'Dutch'), h('option', { value: 'en' }, 'English'));
    lang.value = params.get('lang') || '';
    const entity = h('input', { id: 'entity', name: 'entity', list: 'entity-list', placeholder: 'name or id', value: params.get('entity') || '' });
    const datalist = h('datalist', { id: 'entity-list' });
    names().then((map) => {
      for (const e of map.values()) datalist.appendChild(h('option', { value: e.name }));
    });
    const form = h('form', { id: 'search-form', class: 'search-form' },
      field('Search', q), field('From', from), field('To', to), field('Language', lang), field('Entity', entity), datalist,
      h('button', { type: 'submit' }, 'Search'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      setHash('search', { q: q.value, from: from.value, to: to.value, lang: lang.value, entity: entity.value });
    });
    const results = h('section', { id: 'results' });
    app.append(h('h1', null, 'Search'), form, results);
    q.focus();
    if (![...params.keys()].length) {
      results.appendChild(h('p', { class: 'hint' }, 'Words are stemmed per language ("aanslag" finds "aanslagen"); use "quotes" for phrases, -word to exclude, OR for either.'));
      return;
    }
    results.appendChild(loading());
    const offset = +(params.get('offset') || 0);
    const limit = 20;
    const p = { q: params.get('q'), from: params.get('from'), to: params.get('to'), lang: params.get('lang'), entity: params.get('entity'), limit, offset };
    let res;
    try {
      res = await api('/api/search' + query(p));
    } catch (e) {
      clear(results).appendChild(errorBox(e));
      return;
    }
    clear(results);
    const tlParams = { q: params.get('q'), entity: params.get('entity'), from: params.get('from'), to: params.get('to') };
    results.appendChild(h('p', { class: 'summary', id: 'search-summary' },
      res.total + (res.total === 1 ? ' article' : ' articles'),
      res.total ? [' · ', link('#/timeline' + query(tlParams), 'show these on the timeline')] : null));
    const list = h('ol', { class: 'hits', start: offset + 1 });
    for (const hit of res.hits) list.appendChild(hitItem(hit));
    results.appendChild(list);
    results.appendChild(pager(res.total, offset, limit, (o) => setHash('search', Object.assign({}, tlParams, { lang: params.get('lang'), offset: o || '' }))));
  }

  // The snippet with its highlighted words, from the plain snippet and the
  // code-point ranges (never from HTML).
  function snippet(text, ranges) {
    const chars = Array.from(text || '');
    const out = h('p', { class: 'snippet' });
    let at = 0;
    for (const [a, b] of ranges || []) {
      if (a < at || b > chars.length || a >= b) continue;
      if (a > at) out.appendChild(document.createTextNode(chars.slice(at, a).join('')));
      out.appendChild(h('mark', null, chars.slice(a, b).join('')));
      at = b;
    }
    if (at < chars.length) out.appendChild(document.createTextNode(chars.slice(at).join('')));
    return out;
  }

  function hitItem(hit) {
    return h('li', { class: 'hit', 'data-id': hit.id },
      h('div', { class: 'hit-head' },
        link('#/doc/' + enc(hit.id), hit.title || '(untitled)'),
        h('span', { class: 'meta' }, ' ', hit.dct || 'undated', ' · ', hit.lang)),
      snippet(hit.snippet, hit.highlights),
      h('div', { class: 'meta source' }, hit.source));
  }

  function pager(total, offset, limit, go) {
    const nav = h('nav', { class: 'pager' });
    if (offset > 0) nav.appendChild(h('button', { type: 'button', onclick: () => go(Math.max(0, offset - limit)) }, '← previous'));
    if (total > offset + limit) nav.appendChild(h('button', { type: 'button', onclick: () => go(offset + limit) }, 'next →'));
    if (total > limit) nav.appendChild(h('span', { class: 'meta' }, ' ' + (offset + 1) + '–' + Math.min(total, offset + limit) + ' of ' + total));
    return nav;
  }

  // ------------------------------------------------------------ timeline

  async function timelineView(params) {
    const entity = h('input', { id: 'tl-entity', list: 'entity-list', placeholder: 'entity name or id', value: params.get('entity') || '' });
    const story = h('input', { id: 'tl-story', placeholder: 'story id', value: params.get('story') || '' });
    const q = h('input', { id: 'tl-q', type: 'search', placeholder: 'articles matching…', value: params.get('q') || '' });
    const from = h('input', { id: 'tl-from', size: 10, placeholder: 'from', value: params.get('from') || '' });
    const to = h('input', { id: 'tl-to', size: 10, placeholder: 'to', value: params.get('to') || '' });
    const datalist = h('datalist', { id: 'entity-list' });
    names().then((map) => {
      for (const e of map.values()) datalist.appendChild(h('option', { value: e.name }));
    });
    const form = h('form', { id: 'timeline-form', class: 'search-form' },
      field('Entity', entity), field('Story', story), field('Query', q), field('From', from), field('To', to), datalist,
      h('button', { type: 'submit' }, 'Show'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      setHash('timeline', { entity: entity.value, story: story.value, q: q.value, from: from.value, to: to.value });
    });
    const holder = h('section', { id: 'timeline-holder' });
    app.append(h('h1', null, 'Timeline'), form, holder);
    await timeline(holder, {
      entity: params.get('entity'), story: params.get('story'), q: params.get('q'),
      from: params.get('from'), to: params.get('to'),
    });
  }

  // Loads the timeline for `p` into `holder`: the zoomable axis, the
  // legend, the detail panel and the undatable events.
  async function timeline(holder, p) {
    holder.appendChild(loading());
    let res;
    let map;
    try {
      [res, map] = await Promise.all([api('/api/timeline' + query(Object.assign({ limit: 5000 }, p))), names()]);
    } catch (e) {
      clear(holder).appendChild(errorBox(e));
      return;
    }
    clear(holder);
    const dated = [];
    const undated = [];
    for (const ev of res.events) {
      const iv = interval(ev.date);
      if (iv) dated.push(Object.assign({ ev }, iv));
      else undated.push(ev);
    }
    holder.appendChild(h('p', { class: 'summary', id: 'timeline-summary' },
      res.total + (res.total === 1 ? ' event' : ' events'),
      res.total > res.events.length ? ' (first ' + res.events.length + ' shown)' : '',
      undated.length ? ' · ' + undated.length + ' without a calendar date' : ''));
    if (!res.events.length) {
      holder.appendChild(h('p', { class: 'hint' }, 'No events. The timeline is built during ingest from dated events in the articles.'));
      return;
    }
    assignColours(res.events.map((e) => e.type));
    const detail = h('aside', { id: 'event-detail', class: 'detail' }, h('p', { class: 'hint' }, 'Click an event to see its sources.'));
    const axis = new Axis(dated, (ev) => showEvent(detail, ev, map));
    holder.append(axis.controls, axis.box, legend(dated), detail);
    axis.fit();
    if (undated.length) {
      const ul = h('ul', { class: 'undated' });
      for (const ev of undated) {
        ul.appendChild(h('li', null, h('a', { href: '#', class: 'undated-event', onclick: (e) => { e.preventDefault(); showEvent(detail, ev, map); } }, ev.title), ' ', h('span', { class: 'meta' }, ev.date, ' · ', ev.type)));
      }
      holder.append(h('h3', null, 'Without a calendar date'), ul);
    }
  }

  const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
  // Colours by event type: distinct for the types of the timeline shown
  // (in name order), a hash for any other.
  const typeColours = new Map();
  function assignColours(types) {
    typeColours.clear();
    [...new Set(types)].sort().forEach((t, i) => typeColours.set(t, PALETTE[i % PALETTE.length]));
  }
  function typeColour(type) {
    if (typeColours.has(type)) return typeColours.get(type);
    let x = 0;
    for (const c of String(type)) x = (x * 31 + c.codePointAt(0)) >>> 0;
    return PALETTE[x % PALETTE.length];
  }

  function legend(dated) {
    const types = [...new Set(dated.map((d) => d.ev.type))].sort();
    const box = h('div', { class: 'legend' });
    for (const t of types) {
      const sw = h('span', { class: 'swatch' });
      sw.style.background = typeColour(t);
      box.appendChild(h('span', { class: 'legend-item' }, sw, t));
    }
    box.append(
      h('span', { class: 'legend-item' }, '◆ day'), h('span', { class: 'legend-item' }, '▬ month/quarter/year (bar spans the period)'),
      h('span', { class: 'legend-item cert-probable-l' }, 'dashed: probable'), h('span', { class: 'legend-item' }, 'faint: possible'),
      h('span', { class: 'legend-item' }, 'hollow: future'), h('span', { class: 'legend-item' }, 'grey, struck: negated'),
      h('span', { class: 'legend-item' }, '(n): number of sources'));
    return box;
  }

  function showEvent(detail, ev, map) {
    clear(detail);
    const iv = interval(ev.date);
    detail.append(
      h('h2', { class: 'event-title' }, ev.title),
      h('dl', { class: 'facts' },
        h('dt', null, 'Date'), h('dd', { class: 'event-date' }, ev.date, iv ? ' (' + iv.precision + ' precision)' : ' (not a calendar date)'),
        h('dt', null, 'Type'), h('dd', { class: 'event-type' }, ev.type),
        h('dt', null, 'Certainty'), h('dd', { class: 'event-certainty' }, ev.certainty),
        h('dt', null, 'Sources'), h('dd', { class: 'event-sources' }, String(ev.sources.length)),
        ev.conflicts && ev.conflicts.length ? [h('dt', null, 'Other dates given'), h('dd', { class: 'conflicts' }, ev.conflicts.join(', '))] : null,
        ev.entities.length ? [h('dt', null, 'Entities'), h('dd', null, ev.entities.map((id, i) => [i ? ', ' : '', entityLink(id, map)]))] : null),
      h('blockquote', { class: 'event-text' }, ev.text));
    const list = h('ol', { class: 'sources' });
    for (const src of ev.sources) {
      list.appendChild(h('li', { class: 'source' },
        link('#/doc/' + enc(src.doc), src.title || src.doc), ' ', h('span', { class: 'meta' }, src.dct || 'undated'),
        src.sentence ? h('blockquote', { class: 'sentence' }, src.sentence) : null));
    }
    detail.append(h('h3', null, 'Reported by'), list);
    detail.scrollIntoView({ block: 'nearest' });
  }

  // The zoomable time axis (SVG): decades down to days.
  class Axis {
    constructor(items, onPick) {
      this.items = items.sort((a, b) => a.start - b.start);
      this.onPick = onPick;
      this.width = 960;
      this.selected = null;
      this.svg = s('svg', { id: 'timeline', class: 'timeline', role: 'img', 'aria-label': 'timeline' });
      this.box = h('div', { class: 'timeline-box' }, this.svg);
      const btn = (label, title, fn, id) => h('button', { type: 'button', title, id, onclick: fn }, label);
      this.scaleLabel = h('span', { class: 'meta', id: 'timeline-scale' });
      this.controls = h('div', { class: 'timeline-controls' },
        btn('−', 'zoom out', () => this.zoom(2), 'zoom-out'), btn('+', 'zoom in', () => this.zoom(0.5), 'zoom-in'),
        btn('Fit', 'show every event', () => this.fit(), 'zoom-fit'),
        btn('Decades', 'about 50 years', () => this.span(50 * 365.25 * DAY), 'zoom-decades'),
        btn('Years', 'about 5 years', () => this.span(5 * 365.25 * DAY), 'zoom-years'),
        btn('Months', 'about 6 months', () => this.span(182 * DAY), 'zoom-months'),
        btn('Days', 'about 3 weeks', () => this.span(21 * DAY), 'zoom-days'),
        this.scaleLabel);
      this.svg.addEventListener('wheel', (e) => {
        e.preventDefault();
        const t = this.timeAt(e.offsetX);
        this.zoom(e.deltaY > 0 ? 1.25 : 0.8, t);
      }, { passive: false });
      let drag = null;
      this.svg.addEventListener('pointerdown', (e) => {
        if (e.target.closest && e.target.closest('.event')) return;
        drag = { x: e.clientX, t0: this.t0, t1: this.t1 };
        this.svg.setPointerCapture(e.pointerId);
      });
      this.svg.addEventListener('pointermove', (e) => {
        if (!drag) return;
        const dt = (e.clientX - drag.x) / this.width * (drag.t1 - drag.t0);
        this.t0 = drag.t0 - dt;
        this.t1 = drag.t1 - dt;
        this.draw();
      });
      const end = () => { drag = null; };
      this.svg.addEventListener('pointerup', end);
      this.svg.addEventListener('pointercancel', end);
      window.addEventListener('resize', () => this.draw());
    }

    timeAt(x) {
      return this.t0 + (x / this.width) * (this.t1 - this.t0);
    }

    xOf(t) {
      return ((t - this.t0) / (this.t1 - this.t0)) * this.width;
    }

    fit() {
      const lo = Math.min(...this.items.map((d) => d.start));
      const hi = Math.max(...this.items.map((d) => d.end));
      const pad = Math.max((hi - lo) * 0.05, 15 * DAY);
      this.t0 = lo - pad;
      this.t1 = hi + pad;
      this.clamp();
      this.draw();
    }

    // Shows `len` of time around the selected event (or the centre).
    span(len) {
      const c = this.selected ? (this.selected.start + this.selected.end) / 2 : (this.t0 + this.t1) / 2;
      this.t0 = c - len / 2;
      this.t1 = c + len / 2;
      this.clamp();
      this.draw();
    }

    zoom(factor, at) {
      const c = at === undefined ? (this.t0 + this.t1) / 2 : at;
      this.t0 = c - (c - this.t0) * factor;
      this.t1 = c + (this.t1 - c) * factor;
      this.clamp();
      this.draw();
    }

    clamp() {
      const min = 7 * DAY;
      const max = 400 * 365.25 * DAY;
      const len = this.t1 - this.t0;
      const c = (this.t0 + this.t1) / 2;
      const want = Math.min(max, Math.max(min, len));
      this.t0 = c - want / 2;
      this.t1 = c + want / 2;
    }

    ticks() {
      const len = this.t1 - this.t0;
      const room = Math.max(2, Math.floor(this.width / 80));
      const units = [
        ['year', 100], ['year', 50], ['year', 10], ['year', 5], ['year', 2], ['year', 1],
        ['month', 6], ['month', 3], ['month', 1], ['day', 7], ['day', 2], ['day', 1],
      ];
      const approx = { year: 365.25 * DAY, month: 30.44 * DAY, day: DAY };
      let unit = units[0];
      for (const u of units) {
        if (len / (approx[u[0]] * u[1]) <= room) unit = u;
        else break;
      }
      const [kind, step] = unit;
      const out = [];
      const d0 = new Date(this.t0);
      if (kind === 'year') {
        let y = Math.floor(d0.getUTCFullYear() / step) * step;
        for (let t = utc(y, 0, 1); t <= this.t1; y += step, t = utc(y, 0, 1)) {
          if (t >= this.t0) out.push([t, step >= 10 ? yearLabel(y) + 's' : yearLabel(y)]);
        }
      } else if (kind === 'month') {
        let y = d0.getUTCFullYear();
        let m = Math.floor(d0.getUTCMonth() / step) * step;
        for (let t = utc(y, m, 1); t <= this.t1; m += step, t = utc(y, m, 1)) {
          const d = new Date(t);
          if (t >= this.t0) out.push([t, MONTHS[d.getUTCMonth()] + ' ' + yearLabel(d.getUTCFullYear())]);
        }
      } else {
        let t = Math.floor(this.t0 / DAY) * DAY;
        if (step === 7) while (new Date(t).getUTCDay() !== 1) t += DAY;
        for (; t <= this.t1; t += step * DAY) {
          if (t >= this.t0) out.push([t, fmtDay(t)]);
        }
      }
      const names = { year: step >= 10 ? 'decades' : 'years', month: 'months', day: step === 7 ? 'weeks' : 'days' };
      return { ticks: out, unit: names[kind] };
    }

    draw() {
      const svg = clear(this.svg);
      this.width = Math.max(320, this.box.clientWidth || 960);
      const { ticks, unit } = this.ticks();
      this.scaleLabel.textContent = 'scale: ' + unit + ' · ' + fmtDay(this.t0) + ' – ' + fmtDay(this.t1);
      this.svg.setAttribute('data-scale', unit);
      // Lanes: place each event (with its label) in the first free lane.
      const laneEnds = [];
      const placed = [];
      for (const d of this.items) {
        const x0 = this.xOf(d.start);
        const x1 = this.xOf(d.end);
        if (x1 < -200 || x0 > this.width + 200) continue;
        const w = Math.max(x1 - x0, d.precision === 'day' ? 0 : 4);
        const label = d.ev.title.length > 40 ? d.ev.title.slice(0, 39) + '…' : d.ev.title;
        const text = label + ' (' + d.ev.sources.length + ')';
        const textW = text.length * 6.5;
        const markRight = x0 + Math.max(w, 12) + 4;
        // The label goes right of the mark, or left of it near the right edge.
        const left = markRight + textW > this.width && x0 - 12 - textW > 0;
        const lo = left ? x0 - 12 - textW : x0 - 8;
        const hi = left ? markRight : markRight + textW;
        let lane = laneEnds.findIndex((end) => end + 6 <= lo);
        if (lane < 0) {
          lane = laneEnds.length < 14 ? laneEnds.length : laneEnds.indexOf(Math.min(...laneEnds));
          if (lane === laneEnds.length) laneEnds.push(-Infinity);
        }
        laneEnds[lane] = hi;
        placed.push({ d, x0, w, lane, text, left });
      }
      const lanes = Math.max(1, laneEnds.length);
      const top = 8;
      const laneH = 26;
      const axisY = top + lanes * laneH + 6;
      const height = axisY + 30;
      svg.setAttribute('viewBox', '0 0 ' + this.width + ' ' + height);
      svg.setAttribute('width', this.width);
      svg.setAttribute('height', height);
      const grid = s('g', { class: 'grid' });
      for (const [t, label] of ticks) {
        const x = this.xOf(t);
        grid.append(
          s('line', { x1: x, x2: x, y1: top, y2: axisY + 5, class: 'tick' }),
          s('text', { x: x + 3, y: axisY + 18, class: 'tick-label' }, label));
      }
      grid.appendChild(s('line', { x1: 0, x2: this.width, y1: axisY, y2: axisY, class: 'axis' }));
      svg.appendChild(grid);
      for (const p of placed) svg.appendChild(this.marker(p, top + p.lane * laneH));
    }

    marker({ d, x0, w, text, left }, y) {
      const ev = d.ev;
      const colour = typeColour(ev.type);
      const g = s('g', {
        class: 'event cert-' + ev.certainty + ' prec-' + d.precision + (this.selected === d ? ' selected' : ''),
        'data-id': ev.id, 'data-date': ev.date, 'data-precision': d.precision, tabindex: 0, role: 'button',
      });
      const n = ev.sources.length;
      g.appendChild(s('title', null, ev.date + ' (' + d.precision + ') · ' + ev.type + ' · ' + ev.certainty + ' · ' + n + (n === 1 ? ' source' : ' sources') + '\n' + ev.title));
      let right;
      if (d.precision === 'day' && w < 12) {
        const cx = x0 + w / 2;
        g.appendChild(s('path', { d: 'M' + cx + ' ' + (y + 2) + 'l7 7-7 7-7-7z', fill: colour, stroke: colour, class: 'mark' }));
        right = cx + 9;
      } else {
        g.appendChild(s('rect', { x: x0, y: y + 3, width: Math.max(w, 4), height: 14, rx: 3, fill: colour, stroke: colour, class: 'mark' }));
        right = x0 + Math.max(w, 4) + 3;
      }
      if (left) {
        g.appendChild(s('text', { x: x0 - 12, y: y + 14, class: 'event-label', 'text-anchor': 'end' }, text));
      } else {
        g.appendChild(s('text', { x: right + 2, y: y + 14, class: 'event-label' }, text));
      }
      const pick = () => {
        this.selected = d;
        for (const other of this.svg.querySelectorAll('.event.selected')) other.classList.remove('selected');
        g.classList.add('selected');
        this.onPick(ev);
      };
      g.addEventListener('click', pick);
      g.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(); } });
      return g;
    }
  }

  // ------------------------------------------------------------ entities

  async function entitiesView(params) {
    const q = h('input', { id: 'entity-q', type: 'search', placeholder: 'filter by name', value: params.get('q') || '' });
    const form = h('form', { class: 'search-form' }, field('Name', q), h('button', { type: 'submit' }, 'Filter'));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); setHash('entities', { q: q.value }); });
    const out = h('section', null, loading());
    app.append(h('h1', null, 'Entities'), form, out);
    const res = await api('/api/entities' + query({ q: params.get('q'), limit: 500 }));
    clear(out);
    out.appendChild(h('p', { class: 'summary' }, res.total + ' entities'));
    const tbody = h('tbody');
    for (const e of res.entities) {
      tbody.appendChild(h('tr', { class: 'entity-row' },
        h('td', null, link('#/entity/' + enc(e.id), e.name)), h('td', null, e.kind), h('td', { class: 'num' }, String(e.mentions)),
        h('td', { class: 'meta' }, e.aliases.join(', '))));
    }
    out.appendChild(h('table', { class: 'list' }, h('thead', null, h('tr', null, h('th', null, 'Name'), h('th', null, 'Kind'), h('th', null, 'Mentions'), h('th', null, 'Aliases'))), tbody));
  }

  async function entityView(id) {
    const e = await api('/api/entities/' + enc(id));
    const map = await names();
    app.append(
      h('h1', { class: 'entity-name' }, e.name, ' ', h('span', { class: 'kind' }, e.kind)),
      h('p', { class: 'actions' },
        link('#/timeline' + query({ entity: e.id }), 'Timeline'), ' · ',
        link('#/search' + query({ entity: e.id }), 'Articles')),
      h('dl', { class: 'facts' },
        h('dt', null, 'Also called'), h('dd', { class: 'aliases' }, e.aliases.length ? e.aliases.join(' · ') : '—'),
        h('dt', null, 'Mentions'), h('dd', null, String(e.mentions)),
        h('dt', null, 'First seen'), h('dd', null, e.first_seen || '—'),
        h('dt', null, 'Last seen'), h('dd', null, e.last_seen || '—'),
        h('dt', null, 'Articles'), h('dd', null, String(e.documents_total), e.undated_documents ? ' (' + e.undated_documents + ' undated)' : '')),
      h('h2', null, 'Mentions over time'),
      mentionsChart(e.mentions_over_time),
      h('h2', null, 'Related entities'),
      e.related.length
        ? h('ul', { class: 'related' }, e.related.map((r) => h('li', null,
          r.id ? link('#/entity/' + enc(r.id), r.name) : r.name, ' ', h('span', { class: 'meta' }, r.kind + ' · ' + r.documents + ' shared articles'))))
        : h('p', { class: 'hint' }, 'None found.'),
      h('h2', null, 'Articles'),
      docList(e.documents));
    void map;
  }

  // A small bar chart of articles per year (or per month over a short span).
  function mentionsChart(periods) {
    if (!periods.length) return h('p', { class: 'hint' }, 'No dated articles.');
    const years = periods.map((p) => +p.period.slice(0, 4));
    const lo = Math.min(...years);
    const hi = Math.max(...years);
    const monthly = hi - lo < 2;
    const buckets = new Map();
    if (monthly) {
      for (let y = lo; y <= hi; y++) for (let m = 1; m <= 12; m++) buckets.set(y + '-' + String(m).padStart(2, '0'), 0);
    } else {
      for (let y = lo; y <= hi; y++) buckets.set(String(y), 0);
    }
    for (const p of periods) {
      const key = monthly ? (p.period.length >= 7 ? p.period.slice(0, 7) : p.period.slice(0, 4) + '-01') : p.period.slice(0, 4);
      buckets.set(key, (buckets.get(key) || 0) + p.mentions);
    }
    const entries = [...buckets.entries()];
    const max = Math.max(1, ...entries.map((e) => e[1]));
    const W = Math.max(240, Math.min(720, entries.length * 22));
    const H = 90;
    const bw = W / entries.length;
    const svg = s('svg', { class: 'chart', id: 'mentions-chart', width: W, height: H + 18, viewBox: '0 0 ' + W + ' ' + (H + 18) });
    entries.forEach(([key, n], i) => {
      const bh = (n / max) * H;
      svg.appendChild(s('rect', { x: i * bw + 1, y: H - bh, width: Math.max(1, bw - 2), height: bh, class: 'bar' },
        s('title', null, key + ': ' + n + ' mentions')));
    });
    svg.append(
      s('text', { x: 0, y: H + 14, class: 'tick-label' }, entries[0][0]),
      s('text', { x: W, y: H + 14, class: 'tick-label', 'text-anchor': 'end' }, entries[entries.length - 1][0]));
    return svg;
  }

  function docList(docs) {
    if (!docs || !docs.length) return h('p', { class: 'hint' }, 'No articles.');
    return h('ul', { class: 'docs' }, docs.map((d) => h('li', null,
      link('#/doc/' + enc(d.id), d.title || d.id), ' ', h('span', { class: 'meta' }, (d.dct || 'undated') + ' · ' + d.lang))));
  }

  // ------------------------------------------------------------ stories

  async function storiesView() {
    const res = await api('/api/stories?limit=500');
    app.append(h('h1', null, 'Stories'), h('p', { class: 'summary' }, res.total + ' stories'));
    const ul = h('ul', { class: 'stories' });
    for (const st of res.stories) {
      ul.appendChild(h('li', { class: 'story' }, link('#/story/' + enc(st.id), st.title), ' ',
        h('span', { class: 'meta' }, (st.first || '?') + ' – ' + (st.last || '?') + ' · ' + st.docs.length + ' articles')));
    }
    app.appendChild(ul);
  }

  async function storyView(id) {
    const st = await api('/api/stories/' + enc(id));
    const holder = h('section', { id: 'timeline-holder' });
    app.append(
      h('h1', { class: 'story-title' }, st.title),
      h('p', { class: 'meta' }, (st.first || '?') + ' – ' + (st.last || '?') + ' · ' + st.docs.length + ' articles'),
      h('h2', null, 'Timeline'), holder,
      h('h2', null, 'Articles'), docList(st.documents));
    await timeline(holder, { story: st.id });
  }

  // ------------------------------------------------------------ documents

  const LAYERS = [
    ['timexes', 'Times', (t) => t.type + ' ' + t.value + (t.mod ? ' (' + t.mod + ')' : '')],
    ['entities', 'Entities', (m) => m.label + (m.entity ? ' → ' + m.entity : '')],
    ['events', 'Events', (e) => e.type + (e.date ? ' on ' + e.date : '') + ' · ' + e.certainty],
    ['claims', 'Claims', (c) => 'claim: ' + c.quantity + (c.counts ? ' ' + c.counts : '') + (c.source ? ' — ' + c.source : '')],
    ['quotes', 'Quotes', (q) => 'quote' + (q.speaker ? ' by ' + q.speaker : ' (speaker unknown)')],
  ];

  async function docView(id) {
    const doc = await api('/api/docs/' + enc(id));
    const map = await names();
    const dct = doc.dct || {};
    const dctBox = h('dl', { class: 'facts dct' },
      h('dt', null, 'Date (DCT)'), h('dd', { id: 'dct-value' }, dct.value || 'unknown'),
      h('dt', null, 'Origin'), h('dd', { id: 'dct-origin' }, dct.origin || 'none'),
      dct.range ? [h('dt', null, 'Plausible range'), h('dd', null, dct.range[0] + ' – ' + dct.range[1])] : null,
      h('dt', null, 'Evidence'), h('dd', { id: 'dct-evidence' }, (dct.evidence || []).length ? h('ul', null, dct.evidence.map((e) => h('li', null, e))) : '—'),
      h('dt', null, 'Language'), h('dd', null, doc.lang),
      h('dt', null, 'Sources'), h('dd', null, h('ul', null, (doc.sources || [doc.source]).map((x) => h('li', null, x)))),
      doc.url ? [h('dt', null, 'URL'), h('dd', null, externalLink(doc.url))] : null,
      doc.near_duplicate_of ? [h('dt', null, 'Near-duplicate of'), h('dd', null, link('#/doc/' + enc(doc.near_duplicate_of), doc.near_duplicate_of))] : null,
      doc.near_duplicates && doc.near_duplicates.length ? [h('dt', null, 'Near-duplicates'), h('dd', null, doc.near_duplicates.map((d, i) => [i ? ', ' : '', link('#/doc/' + enc(d), d)]))] : null);
    const toggles = h('div', { class: 'layers' });
    const textBox = h('div', { class: 'doc-text', id: 'doc-text' });
    const info = h('aside', { class: 'detail', id: 'span-detail' }, h('p', { class: 'hint' }, 'Click a highlighted span.'));
    for (const [key, label] of LAYERS) {
      const n = (doc[key] || []).length;
      const box = h('input', { type: 'checkbox', checked: true, 'data-layer': key });
      box.addEventListener('change', () => textBox.classList.toggle('hide-' + key, !box.checked));
      toggles.appendChild(h('label', { class: 'layer-toggle l-' + key }, box, ' ' + label + ' (' + n + ')'));
    }
    app.append(h('h1', { class: 'doc-title', id: 'doc-title' }, doc.title || '(untitled)'), dctBox, toggles, h('div', { class: 'doc-layout' }, textBox, info));
    renderAnnotated(textBox, doc, (anns) => {
      clear(info);
      for (const a of anns) {
        const item = a.item;
        info.appendChild(h('div', { class: 'ann l-' + a.layer },
          h('strong', null, a.describe(item)), h('blockquote', null, item.text),
          item.entity ? h('p', null, 'Entity: ', entityLink(item.entity, map)) : null,
          item.speaker_entity ? h('p', null, 'Speaker: ', entityLink(item.speaker_entity, map)) : null,
          item.source_entity ? h('p', null, 'Source: ', entityLink(item.source_entity, map)) : null));
      }
    });
  }

  // The text with every annotation as a highlighted span. Offsets are code
  // points; spans may nest or overlap, so the text is cut at every
  // boundary and each piece carries the layers covering it.
  function renderAnnotated(box, doc, onPick) {
    const chars = Array.from(doc.text || '');
    const anns = [];
    for (const [layer, , describe] of LAYERS) {
      for (const item of doc[layer] || []) {
        if (Number.isInteger(item.start) && Number.isInteger(item.end) && item.start < item.end && item.end <= chars.length) {
          anns.push({ layer, item, describe });
        }
      }
    }
    const cuts = new Set([0, chars.length]);
    for (const a of anns) { cuts.add(a.item.start); cuts.add(a.item.end); }
    const points = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i++) {
      const [a, b] = [points[i], points[i + 1]];
      const text = chars.slice(a, b).join('');
      const over = anns.filter((x) => x.item.start <= a && x.item.end >= b);
      if (!over.length) {
        box.appendChild(document.createTextNode(text));
        continue;
      }
      const span = h('span', { class: 'ann-span ' + [...new Set(over.map((x) => 'l-' + x.layer))].join(' '), title: over.map((x) => x.describe(x.item)).join('\n') }, text);
      span.addEventListener('click', () => onPick(over));
      box.appendChild(span);
    }
  }

  window.addEventListener('hashchange', route);
  status();
  route();
})();
