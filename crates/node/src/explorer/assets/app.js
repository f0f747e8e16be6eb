// Shortcrust explorer: one vanilla script, no dependencies. It reads the node's JSON-RPC over
// HTTP (same origin) and its WebSocket subscriptions for live updates, and renders pages from
// the URL path (History API). Untrusted text (entry names, topics, errors) is only ever set
// with textContent: never as HTML.
'use strict';

// ---------------------------------------------------------------------------------------------
// DOM helpers
// ---------------------------------------------------------------------------------------------

/** h('a', {href: '/x'}, 'text', child, [more]) → element; null/false children are skipped. */
function h(tag, attrs, ...children) {
  const svg = ['svg', 'rect', 'text', 'line', 'g', 'title', 'path'].includes(tag);
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.setAttribute('class', v);
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k in el && !svg && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}
function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}
const $ = (sel, root) => (root || document).querySelector(sel);

function short(hex) {
  if (!hex) return '';
  return hex.length > 20 ? hex.slice(0, 8) + '…' + hex.slice(-6) : hex;
}
/** A link to a hash/id, shortened on screen, full in the accessible name and tooltip. */
function idLink(kind, hex, full) {
  return h('a', { href: `/${kind}/${hex}`, class: 'hash', title: hex, 'aria-label': `${kind} ${hex}` },
    full ? hex : short(hex));
}
function blockLink(height) {
  return h('a', { href: `/block/${height}` }, '#' + height);
}
/** Digits grouped by thin spaces (amounts are decimal strings, possibly above 2^53). */
function amount(s) {
  s = String(s);
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
}
function num(n) {
  return amount(n);
}
function time(ts) {
  if (!ts) return 'genesis (0)';
  const d = new Date(ts * 1000);
  return h('time', { datetime: d.toISOString() }, d.toISOString().replace('T', ' ').replace('.000Z', ' UTC'));
}
function ago(ts) {
  const s = Math.max(0, Math.round(Date.now() / 1000 - ts));
  if (!ts) return 'genesis';
  if (s < 60) return s + ' s ago';
  if (s < 3600) return Math.floor(s / 60) + ' min ago';
  if (s < 86400) return Math.floor(s / 3600) + ' h ago';
  return Math.floor(s / 86400) + ' d ago';
}
function badge(status) {
  return h('span', { class: 'badge ' + status }, status);
}
function fields(pairs) {
  const dl = h('dl', { class: 'fields' });
  for (const [k, v] of pairs) {
    if (v === undefined) continue;
    dl.append(h('dt', {}, k), h('dd', {}, v));
  }
  return dl;
}
function table(caption, headers, rows, opts) {
  const t = h('table', opts && opts.id ? { id: opts.id } : {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map(c => {
      const [label, cls] = Array.isArray(c) ? c : [c, null];
      return h('th', { scope: 'col', class: cls }, label);
    }))),
    h('tbody', {}, rows));
  return h('div', { class: 'table-wrap' }, t);
}
function row(cells, cls) {
  return h('tr', { class: cls }, cells.map(c => {
    if (c && c.num !== undefined) return h('td', { class: 'num' }, c.num);
    return h('td', {}, c);
  }));
}
function hexToAscii(hex) {
  let out = '';
  for (let i = 0; i < hex.length; i += 2) {
    const c = parseInt(hex.slice(i, i + 2), 16);
    if (c < 32 || c > 126) return null;
    out += String.fromCharCode(c);
  }
  return out;
}
function pretty(v) {
  return JSON.stringify(v, null, 2);
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC over HTTP and WebSocket
// ---------------------------------------------------------------------------------------------

class RpcError extends Error {
  constructor(e) { super(e.message); this.code = e.code; this.data = e.data; }
}
let rpcId = 0;
async function rpc(method, params) {
  const res = await fetch('/', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params: params || [] }),
  });
  const body = await res.json();
  if (body.error) throw new RpcError(body.error);
  return body.result;
}
/** Many calls in JSON-RPC batches of at most 100; each result or an RpcError, in order. */
async function rpcBatch(calls) {
  const out = [];
  for (let i = 0; i < calls.length; i += 100) {
    const chunk = calls.slice(i, i + 100).map(([method, params]) =>
      ({ jsonrpc: '2.0', id: ++rpcId, method, params: params || [] }));
    if (!chunk.length) break;
    const res = await fetch('/', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(chunk),
    });
    const body = await res.json();
    const byId = new Map(body.map(r => [r.id, r]));
    for (const c of chunk) {
      const r = byId.get(c.id);
      out.push(!r ? new RpcError({ message: 'no response' }) : r.error ? new RpcError(r.error) : r.result);
    }
  }
  return out;
}

/** One WebSocket for all subscriptions, reconnecting; handlers by key survive reconnects. */
const live = {
  ws: null, subs: new Map(), pending: new Map(), bySubId: new Map(), open: false,
  connect() {
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/');
    this.ws = ws;
    ws.onopen = () => {
      this.open = true;
      setLive(true);
      for (const key of this.subs.keys()) this.send(key);
    };
    ws.onclose = () => {
      this.open = false;
      this.bySubId.clear();
      setLive(false);
      setTimeout(() => this.connect(), 2000);
    };
    ws.onmessage = (m) => {
      let msg;
      try { msg = JSON.parse(m.data); } catch (_) { return; }
      if (msg.id !== undefined && this.pending.has(msg.id)) {
        const key = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.result !== undefined && this.subs.has(key)) this.bySubId.set(String(msg.result), key);
        return;
      }
      if (msg.params && msg.params.subscription !== undefined) {
        const key = this.bySubId.get(String(msg.params.subscription));
        const sub = key && this.subs.get(key);
        if (sub) for (const f of sub.handlers) f(msg.params.result);
      }
    };
  },
  send(key) {
    const sub = this.subs.get(key);
    if (!sub || !this.open) return;
    const id = ++rpcId;
    this.pending.set(id, key);
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method: sub.method, params: sub.params }));
  },
  /** Calls f for each notification; returns a function that stops (the socket stays). */
  on(method, params, f) {
    const key = method + JSON.stringify(params);
    let sub = this.subs.get(key);
    if (!sub) {
      sub = { method, params, handlers: new Set() };
      this.subs.set(key, sub);
      this.send(key);
    }
    sub.handlers.add(f);
    return () => sub.handlers.delete(f);
  },
};

let head = null;
function setLive(on) {
  $('#live').classList.toggle('on', on);
  $('#live-text').textContent = on
    ? (head ? `live · head #${head.height}` : 'live')
    : 'reconnecting…';
}

// ---------------------------------------------------------------------------------------------
// Router
// ---------------------------------------------------------------------------------------------

let cleanups = [];
let renderSeq = 0;

function navigate(url, replace) {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render(true);
}

document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[href]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || a.target || url.pathname.startsWith('/assets/')) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener('popstate', () => render(true));

async function render(focus) {
  const seq = ++renderSeq;
  for (const c of cleanups) c();
  cleanups = [];
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const q = new URLSearchParams(location.search);
  for (const a of document.querySelectorAll('nav a')) {
    const target = a.getAttribute('href');
    const current = target === '/' ? path === '/' : path.startsWith(target);
    if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const main = $('#main');
  main.setAttribute('aria-busy', 'true');
  let content;
  try {
    switch (parts[0]) {
      case undefined: content = await overviewPage(); break;
      case 'blocks': content = await blocksPage(q); break;
      case 'block': content = await blockPage(parts[1]); break;
      case 'tx': content = await txPage(parts[1]); break;
      case 'contract': content = await contractPage(parts[1]); break;
      case 'account': content = await accountPage(parts[1]); break;
      case 'proof': content = await proofPage(q); break;
      case 'search': content = await searchPage(q.get('q') || ''); break;
      default: content = notFound('No such page', `There is no explorer page at ${path}.`);
    }
  } catch (e) {
    content = notFound('Error', e.message || String(e));
  }
  if (seq !== renderSeq) return; // a newer navigation won
  main.replaceChildren(content);
  main.removeAttribute('aria-busy');
  const h1 = $('h1', main);
  document.title = (h1 ? h1.textContent + ' · ' : '') + 'Shortcrust explorer';
  if (focus && h1) {
    h1.setAttribute('tabindex', '-1');
    h1.focus({ preventScroll: false });
  }
}

function page(title, ...content) {
  return h('div', {}, h('h1', {}, title), content);
}
function notFound(title, message) {
  return page(title, h('p', { class: 'notice', role: 'alert' }, message), h('p', {}, h('a', { href: '/' }, 'Back to the overview')));
}

// ---------------------------------------------------------------------------------------------
// Overview: head, finalized height, block time, transactions per second (live chart), latest
// blocks and transactions, validators when there are several
// ---------------------------------------------------------------------------------------------

const RECENT_BLOCKS = 200;
const CHART_BUCKETS = 30;
const CHART_BUCKET_SECS = 10;

async function recentBlocks(count, full) {
  const status = await rpc('sc_status');
  const top = status.head_height;
  const calls = [];
  for (let hgt = top; hgt >= 0 && hgt > top - count; hgt--) calls.push(['sc_getBlockByHeight', [hgt, !!full]]);
  const blocks = (await rpcBatch(calls)).filter(b => !(b instanceof Error));
  return { status, blocks };
}

async function overviewPage() {
  const { status, blocks } = await recentBlocks(RECENT_BLOCKS, true);
  const known = blocks.slice(); // newest first
  const stat = (id, label) => h('div', {}, h('dt', {}, label), h('dd', { id }, '–'));
  const stats = h('dl', { class: 'stats' },
    stat('stat-head', 'Head height'), stat('stat-final', 'Finalized height'),
    stat('stat-blocktime', 'Block time (last 20)'), stat('stat-tps', 'Transactions/s (5 min)'),
    stat('stat-mempool', 'Mempool'), stat('stat-chain', 'Chain id'));
  const chartSvg = h('svg', { viewBox: '0 0 300 100', preserveAspectRatio: 'none', role: 'img', id: 'tps-chart' });
  const chartCaption = h('figcaption', { id: 'tps-caption' });
  const chart = h('figure', { class: 'chart' }, chartSvg, chartCaption);
  const blocksBody = h('tbody', { id: 'latest-blocks' });
  const txBody = h('tbody', { id: 'latest-txs' });
  const validators = h('section', { id: 'validators', 'aria-labelledby': 'validators-h' });

  function blockRow(b) {
    return row([blockLink(b.height), idLink('block', b.hash), { num: b.transaction_count },
      { num: num(b.gas_used) }, h('span', { 'data-ts': b.timestamp }, ago(b.timestamp))]);
  }
  function txRows(b) {
    return (b.transactions || []).map(t => row([idLink('tx', t.hash), blockLink(b.height),
      idLink('account', t.sender), actionSummary(t.action)]));
  }
  function refresh(st) {
    $('#stat-head', stats).textContent = '#' + st.head_height;
    $('#stat-final', stats).textContent = '#' + st.finalized_height;
    $('#stat-mempool', stats).textContent = st.mempool_size + ' pending';
    $('#stat-chain', stats).textContent = st.chain_id;
    // The genesis (timestamp 0, no proposer) is not a produced block.
    const produced = known.filter(b => b.height > 0);
    const last = produced.slice(0, 21);
    if (last.length > 1) {
      const span = last[0].timestamp - last[last.length - 1].timestamp;
      $('#stat-blocktime', stats).textContent = (span / (last.length - 1)).toFixed(2) + ' s';
    } else {
      $('#stat-blocktime', stats).textContent = 'n/a';
    }
    const now = Math.max(Math.floor(Date.now() / 1000), known.length ? known[0].timestamp : 0);
    const buckets = new Array(CHART_BUCKETS).fill(0);
    for (const b of known) {
      const age = now - b.timestamp;
      const i = CHART_BUCKETS - 1 - Math.floor(age / CHART_BUCKET_SECS);
      if (i >= 0 && i < CHART_BUCKETS) buckets[i] += b.transaction_count;
    }
    const tps = buckets.map(n => n / CHART_BUCKET_SECS);
    const total = buckets.reduce((a, b) => a + b, 0);
    $('#stat-tps', stats).textContent = (total / (CHART_BUCKETS * CHART_BUCKET_SECS)).toFixed(2);
    const max = Math.max(1, ...tps);
    const w = 300 / CHART_BUCKETS;
    chartSvg.replaceChildren(
      h('line', { x1: 0, y1: 99.5, x2: 300, y2: 99.5 }),
      ...tps.map((v, i) => h('rect', { class: 'bar', x: i * w + 0.5, width: w - 1, y: 100 - (v / max) * 95, height: (v / max) * 95 },
        h('title', {}, `${v.toFixed(1)} tx/s, ${(CHART_BUCKETS - i) * CHART_BUCKET_SECS} s ago`))));
    const label = `Transactions per second over the last ${CHART_BUCKETS * CHART_BUCKET_SECS / 60} minutes, ` +
      `${CHART_BUCKET_SECS}-second buckets: now ${tps[CHART_BUCKETS - 1].toFixed(1)}, peak ${Math.max(...tps).toFixed(1)}.`;
    chartSvg.setAttribute('aria-label', label);
    chartCaption.textContent = label;
    const proposers = new Map();
    for (const b of produced) proposers.set(b.proposer, (proposers.get(b.proposer) || 0) + 1);
    if (proposers.size > 1) {
      validators.replaceChildren(h('h2', { id: 'validators-h' }, 'Validators'),
        table(`Proposers of the last ${produced.length} blocks`, ['Validator', ['Blocks', 'num']],
          [...proposers].map(([p, n]) => row([idLink('account', p), { num: n }]))));
    } else {
      validators.replaceChildren(h('h2', { id: 'validators-h' }, 'Validator'),
        h('p', {}, 'A single validator proposes every block: ',
          produced.length ? idLink('account', produced[0].proposer) : '–', '.'));
    }
  }
  blocksBody.append(...known.slice(0, 10).map(blockRow));
  const recentTxs = known.flatMap(txRows).slice(0, 10);
  txBody.append(...recentTxs);
  refresh(status);

  const stop = live.on('sc_subscribeNewBlocks', [], async (b) => {
    if (known.length && b.height <= known[0].height) return;
    // The notification carries hashes only; the full block names senders and actions.
    let full = b;
    if (b.transaction_count) {
      try { full = await rpc('sc_getBlockByHeight', [b.height, true]); } catch (_) { /* keep b */ }
    }
    known.unshift(full);
    if (known.length > RECENT_BLOCKS) known.pop();
    const r = blockRow(full); r.classList.add('fresh');
    blocksBody.prepend(r);
    while (blocksBody.children.length > 10) blocksBody.lastElementChild.remove();
    for (const tr of txRows(full).reverse()) { tr.classList.add('fresh'); txBody.prepend(tr); }
    while (txBody.children.length > 10) txBody.lastElementChild.remove();
    try { refresh(await rpc('sc_status')); } catch (_) { /* next block */ }
  });
  const tick = setInterval(() => {
    for (const s of document.querySelectorAll('[data-ts]')) s.textContent = ago(Number(s.dataset.ts));
  }, 5000);
  cleanups.push(stop, () => clearInterval(tick));

  return page('Chain overview',
    h('section', { 'aria-label': 'Chain status' }, stats),
    h('section', { 'aria-labelledby': 'tps-h' }, h('h2', { id: 'tps-h' }, 'Throughput'), chart),
    h('section', { 'aria-labelledby': 'latest-h' }, h('h2', { id: 'latest-h' }, 'Latest blocks'),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('caption', {}, 'The 10 newest blocks, updated live'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Height'), h('th', { scope: 'col' }, 'Hash'),
          h('th', { scope: 'col', class: 'num' }, 'Txs'), h('th', { scope: 'col', class: 'num' }, 'Gas used'),
          h('th', { scope: 'col' }, 'Age'))),
        blocksBody)),
      h('p', {}, h('a', { href: '/blocks' }, 'All blocks'))),
    h('section', { 'aria-labelledby': 'latest-tx-h' }, h('h2', { id: 'latest-tx-h' }, 'Latest transactions'),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('caption', {}, 'The 10 newest transactions, updated live'),
        h('thead', {}, h('tr', {}, ['Hash', 'Block', 'Sender', 'Action'].map(c => h('th', { scope: 'col' }, c)))),
        txBody))),
    validators);
}

function actionSummary(a) {
  if (!a) return '';
  switch (a.type) {
    case 'call': return h('span', {}, 'call ', idLink('contract', a.contract), '.', h('code', {}, a.entry));
    case 'deploy': return h('span', {}, 'deploy ', idLink('contract', a.contract), ` (${num(a.code_size)} bytes)`);
    case 'transfer': return h('span', {}, `transfer ${amount(a.amount)} to `, idLink('account', a.to));
    default: return a.type;
  }
}

// ---------------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------------

const PAGE = 25;

async function blocksPage(q) {
  const status = await rpc('sc_status');
  const top = Math.min(status.head_height, q.has('before') ? Number(q.get('before')) - 1 : status.head_height);
  const calls = [];
  for (let hgt = top; hgt >= 0 && hgt > top - PAGE; hgt--) calls.push(['sc_getBlockByHeight', [hgt]]);
  const blocks = (await rpcBatch(calls)).filter(b => !(b instanceof Error));
  const rows = blocks.map(b => row([blockLink(b.height), idLink('block', b.hash), time(b.timestamp),
    { num: b.transaction_count }, h('span', {}, num(b.gas_used), ' ', gasMeter(b.gas_used, b.gas_limit, true))]));
  const bottom = blocks.length ? blocks[blocks.length - 1].height : 0;
  return page('Blocks',
    table(`Blocks ${bottom} to ${top} of ${status.head_height + 1}`,
      ['Height', 'Hash', 'Time', ['Txs', 'num'], 'Gas used'], rows),
    h('nav', { class: 'pager', 'aria-label': 'Pages' },
      top < status.head_height ? h('a', { href: `/blocks?before=${Math.min(status.head_height + 1, top + PAGE + 1)}` }, '← Newer') : h('span', {}),
      bottom > 0 ? h('a', { href: `/blocks?before=${bottom}` }, 'Older →') : h('span', {})));
}

function gasMeter(used, limit, compact) {
  const pct = limit ? (100 * used / limit) : 0;
  const m = h('meter', { min: 0, max: limit || 1, value: used, title: `${pct.toFixed(4)}% of the limit` });
  m.setAttribute('aria-label', `gas used: ${pct.toFixed(4)} percent of the limit`);
  if (compact) return m;
  return h('span', {}, `${num(used)} of ${num(limit)} (${pct < 0.01 && used ? '<0.01' : pct.toFixed(2)}%) `, m);
}

async function blockPage(id) {
  let b;
  try {
    b = /^\d+$/.test(id) ? await rpc('sc_getBlockByHeight', [Number(id), true]) : await rpc('sc_getBlockByHash', [id, true]);
  } catch (e) {
    return notFound('Block not found', e.message);
  }
  const receipts = await rpcBatch(b.transactions.map(t => ['sc_getTransaction', [t.hash]]));
  const rows = b.transactions.map((t, i) => {
    const r = receipts[i] instanceof Error ? null : receipts[i].receipt;
    return row([{ num: i }, idLink('tx', t.hash), idLink('account', t.sender), actionSummary(t.action),
      r ? badge(r.status) : '–', { num: r ? num(r.gas_used) : '–' }]);
  });
  return page(`Block #${b.height}`,
    h('nav', { class: 'pager', 'aria-label': 'Neighbour blocks' },
      b.height > 0 ? h('a', { href: `/block/${b.height - 1}`, rel: 'prev' }, `← #${b.height - 1}`) : h('span', {}),
      h('a', { href: `/block/${b.height + 1}`, rel: 'next' }, `#${b.height + 1} →`)),
    h('section', { 'aria-labelledby': 'header-h' }, h('h2', { id: 'header-h' }, 'Header'),
      fields([
        ['Height', String(b.height)],
        ['Hash', h('span', { class: 'hash' }, b.hash)],
        ['Parent', b.height > 0 ? h('a', { href: `/block/${b.parent_hash}`, class: 'hash' }, b.parent_hash) : h('span', { class: 'hash' }, b.parent_hash)],
        ['Time', time(b.timestamp)],
        ['Proposer', idLink('account', b.proposer, true)],
        ['Gas used', gasMeter(b.gas_used, b.gas_limit)],
        ['Transactions', String(b.transaction_count)],
        ['Transactions root', h('span', { class: 'hash' }, b.transactions_root)],
        ['Receipts root', h('span', { class: 'hash' }, b.receipts_root)],
        ['State root', h('span', {}, h('span', { class: 'hash' }, b.state_root), ' ',
          h('a', { href: `/proof?block=${b.height}` }, 'prove a key against it'))],
      ])),
    h('section', { 'aria-labelledby': 'txs-h' }, h('h2', { id: 'txs-h' }, 'Transactions'),
      rows.length ? table(`${rows.length} transaction(s) in block #${b.height}`,
        [['#', 'num'], 'Hash', 'Sender', 'Action', 'Status', ['Gas used', 'num']], rows)
        : h('p', { class: 'muted' }, 'No transactions.')));
}

// ---------------------------------------------------------------------------------------------
// Transaction: status, fee, call tree with gas per frame and host function, flame graph,
// decoded events, revert path
// ---------------------------------------------------------------------------------------------

/** Frames (depth-first, with depth) → tree nodes {frame, children}. */
function callTree(calls) {
  const roots = [];
  const stack = [];
  for (const f of calls) {
    const node = { frame: f, children: [] };
    while (stack.length && stack[stack.length - 1].frame.depth >= f.depth) stack.pop();
    if (stack.length) stack[stack.length - 1].children.push(node); else roots.push(node);
    stack.push(node);
  }
  return roots;
}

/** From the failed root frame down through failed callees to where the failure started. */
function revertPath(roots) {
  const path = [];
  let level = roots.filter(n => n.frame.error);
  while (level.length) {
    const n = level[level.length - 1];
    path.push(n);
    level = n.children.filter(c => c.frame.error);
  }
  return path;
}

function frameLabel(f) {
  return h('span', {}, idLink('contract', f.contract), '.', h('code', {}, f.entry));
}

function frameItem(node) {
  const f = node.frame;
  const split = [];
  if (f.host) {
    if (f.memory_gas) split.push(row(['initial memory', '', { num: num(f.memory_gas) }]));
    split.push(row(['WASM instructions', '', { num: num(f.instruction_gas) }]));
    for (const hg of f.host) split.push(row([h('code', {}, hg.name), { num: hg.calls }, { num: num(hg.gas) }]));
    if (node.children.length) split.push(row(['callees', { num: node.children.length }, { num: num(f.callees_gas) }]));
  }
  return h('li', {},
    h('div', { class: 'frame' + (f.error ? ' failed' : ''), 'data-entry': f.entry },
      h('div', {}, frameLabel(f), ' — ', h('strong', {}, num(f.gas_spent)), ' gas of ', num(f.gas_limit),
        f.error ? [' ', badge('failed'), ' ', h('span', { class: 'error' }, f.error)] : ''),
      split.length ? table(`Gas of ${f.entry}`, ['Where', ['Calls', 'num'], ['Gas', 'num']], split) : null),
    node.children.length ? h('ol', {}, node.children.map(frameItem)) : null);
}

const FLAME_COLORS = { frame: '#e8a65d', failed: '#e2776b', host: '#8fb8de', instructions: '#f3d39b', memory: '#c9b8e8' };

/** A gas flame graph: one row per call depth, each frame as wide as its gas; below a frame,
 * its callees, host functions, memory and own instructions side by side. */
function flameGraph(roots) {
  const total = roots.reduce((a, n) => a + n.frame.gas_spent, 0) || 1;
  const W = 1000, ROW = 22;
  const rects = [];
  let depth = 0;
  function place(items, x0, level) {
    depth = Math.max(depth, level + 1);
    let x = x0;
    for (const it of items) {
      const w = (it.gas / total) * W;
      rects.push({ x, y: level * ROW, w, it });
      if (it.children) place(it.children, x, level + 1);
      x += w;
    }
  }
  function items(node) {
    const f = node.frame;
    const kids = node.children.map(items);
    if (f.host) {
      for (const hg of f.host) kids.push({ label: hg.name, gas: hg.gas, kind: 'host', note: `${hg.calls} call(s)` });
      if (f.memory_gas) kids.push({ label: 'memory', gas: f.memory_gas, kind: 'memory' });
      if (f.instruction_gas) kids.push({ label: 'instructions', gas: f.instruction_gas, kind: 'instructions' });
    }
    return { label: `${short(f.contract)}.${f.entry}`, gas: f.gas_spent, kind: f.error ? 'failed' : 'frame', children: kids };
  }
  place(roots.map(items), 0, 0);
  const svg = h('svg', { viewBox: `0 0 ${W} ${depth * ROW}`, role: 'img', id: 'flame',
    'aria-label': `Gas flame graph: ${roots.length} top frame(s), ${depth} level(s); the call tree above lists the same numbers.` },
  rects.map(r => h('g', { class: 'flame-' + r.it.kind },
    h('title', {}, `${r.it.label}: ${num(r.it.gas)} gas (${(100 * r.it.gas / total).toFixed(1)}%)${r.it.note ? ', ' + r.it.note : ''}`),
    h('rect', { x: r.x, y: r.y, width: Math.max(r.w, 0.5), height: ROW - 2, fill: FLAME_COLORS[r.it.kind] }),
    r.w > 60 ? h('text', { x: r.x + 4, y: r.y + 15 }, truncate(r.it.label, Math.floor(r.w / 7))) : null)));
  return h('figure', { class: 'flame' }, svg,
    h('figcaption', { class: 'legend' }, 'Width is gas. Orange: call frames (red if failed); blue: host functions; yellow: the frame\'s own WASM instructions; violet: initial memory.'));
}
function truncate(s, n) {
  return s.length > n ? s.slice(0, Math.max(1, n - 1)) + '…' : s;
}

function eventsTable(caption, events, withTx) {
  const rows = events.map(e => row([
    idLink('contract', e.contract), h('code', { class: 'nowrap' }, e.topic),
    e.decoded ? h('code', { class: 'mono' }, JSON.stringify(e.decoded.fields !== undefined ? e.decoded.fields : e.decoded)) : h('code', {}, e.data || '(empty)'),
    withTx && e.tx_hash ? h('span', {}, idLink('tx', e.tx_hash), ' in ', blockLink(e.block_height)) : null,
  ].filter(c => c !== null)));
  return table(caption, ['Contract', 'Topic', 'Data (decoded)'].concat(withTx ? ['Transaction'] : []), rows);
}

async function txPage(hash) {
  let t;
  try { t = await rpc('sc_getTransaction', [hash]); } catch (e) { return notFound('Transaction not found', e.message); }
  const r = t.receipt;
  const a = t.action;
  const content = [];
  const status = r ? r.status : 'pending';
  const summary = [
    ['Status', badge(status)],
    ['Hash', h('span', { class: 'hash' }, t.hash)],
    ['Block', t.block_height !== undefined ? h('span', {}, blockLink(t.block_height), `, index ${t.index}`) : 'not yet included'],
    ['Sender', idLink('account', t.sender, true)],
    ['Nonce', String(t.nonce)],
    ['Action', actionSummary(a)],
  ];
  if (a.type === 'call') summary.push(['Input', h('code', {}, a.input || '(empty)')], ['Amount', amount(a.amount)]);
  if (a.type === 'deploy') summary.push(['Code hash', h('span', { class: 'hash' }, a.code_hash)]);
  if (r) {
    summary.push(
      ['Gas used', h('span', {}, gasMeter(r.gas_used, t.gas_limit),
        r.calls.length ? h('span', { class: 'muted' }, ` — ${num(r.gas_used - r.calls.filter(c => c.depth === 1).reduce((x, c) => x + c.gas_spent, 0))} intrinsic (signature, bytes, account updates${a.type === 'deploy' ? ', deploy' : ''}), the rest in the call tree`) : null)],
      ['Gas price', amount(t.gas_price)],
      ['Fee', amount(r.fee)],
      ['Output', h('code', {}, r.output || '(empty)')]);
    if (r.contract) summary.push(['Contract created', idLink('contract', r.contract, true)]);
  }
  content.push(h('section', { 'aria-labelledby': 'sum-h' }, h('h2', { id: 'sum-h' }, 'Summary'), fields(summary)));
  if (r && r.calls.length) {
    let calls = r.calls;
    let traced = false;
    try {
      const tr = await rpc('sc_traceTransaction', [t.hash]);
      calls = tr.calls; traced = true;
    } catch (e) { /* the stored tree, without the host-function split */ }
    const roots = callTree(calls);
    if (r.status === 'failed') {
      const path = revertPath(roots);
      content.push(h('section', { 'aria-labelledby': 'revert-h', class: 'revert', id: 'revert' },
        h('h2', { id: 'revert-h' }, 'Revert'),
        h('p', {}, 'Message: ', h('strong', { id: 'revert-message' }, r.error)),
        path.length ? [h('p', {}, 'Revert path, from the transaction\'s call down to where the failure started:'),
          h('ol', { id: 'revert-path' }, path.map(n => h('li', {}, frameLabel(n.frame), ': ', h('span', { class: 'error' }, n.frame.error))))] : null));
    }
    content.push(h('section', { 'aria-labelledby': 'tree-h' }, h('h2', { id: 'tree-h' }, 'Call tree'),
      traced ? null : h('p', { class: 'notice' }, 'Gas per host function unavailable (the replay did not reproduce this receipt).'),
      h('ol', { class: 'tree', id: 'call-tree' }, roots.map(frameItem))));
    content.push(h('section', { 'aria-labelledby': 'flame-h' }, h('h2', { id: 'flame-h' }, 'Gas flame graph'), flameGraph(roots)));
  } else if (r && r.status === 'failed') {
    content.push(h('section', { class: 'revert', id: 'revert' }, h('h2', {}, 'Failure'), h('p', {}, 'Message: ', h('strong', { id: 'revert-message' }, r.error))));
  }
  if (r) {
    content.push(h('section', { 'aria-labelledby': 'ev-h' }, h('h2', { id: 'ev-h' }, 'Events'),
      r.events.length ? eventsTable(`${r.events.length} event(s)`, r.events, false) : h('p', { class: 'muted' }, 'No events.')));
  } else {
    const stop = live.on('sc_subscribeNewBlocks', [], () => render(false));
    cleanups.push(stop);
  }
  return page('Transaction ' + short(t.hash), content);
}

// ---------------------------------------------------------------------------------------------
// Contract: metadata, entry points with a read-only query form, storage keys, recent events
// ---------------------------------------------------------------------------------------------

function argTemplate(entry) {
  if (!entry.args || !entry.args.length) return '[]';
  const sample = (ty) => {
    if (/^u\d+$|^i\d+$/.test(ty)) return 0;
    if (ty === 'bool') return false;
    if (ty === 'String') return '';
    if (/^\[u8; 32\]$/.test(ty)) return '0'.repeat(64);
    if (/^Vec<u8>$|^\[u8;/.test(ty)) return '';
    if (/^Option</.test(ty)) return null;
    if (/^Vec</.test(ty)) return [];
    return '';
  };
  const o = {};
  for (const a of entry.args) o[a.name] = sample(a.type);
  return JSON.stringify(o);
}

function queryForm(contract, entry, i) {
  const id = `q-${i}`;
  const out = h('output', { id: `${id}-out`, for: `${id}-args`, 'aria-live': 'polite' });
  const area = h('textarea', { id: `${id}-args`, name: 'args', rows: 2 });
  area.value = argTemplate(entry);
  const form = h('form', {
    class: 'query', 'data-entry': entry.name,
    onsubmit: async (e) => {
      e.preventDefault();
      let args;
      try { args = JSON.parse(area.value || '[]'); } catch (err) {
        out.className = 'error'; out.textContent = 'Arguments are not valid JSON: ' + err.message; return;
      }
      out.className = ''; out.textContent = 'running…';
      try {
        const r = await rpc('sc_call', [{ contract, entry: entry.name, args }]);
        out.className = r.ok ? 'ok' : 'error';
        out.textContent = r.ok
          ? `ok · ${num(r.gas_spent)} gas\nresult: ${r.decoded !== undefined && r.decoded !== null ? JSON.stringify(r.decoded) : '0x' + r.output}`
          : `reverted · ${num(r.gas_spent)} gas\n${r.error}`;
      } catch (err) {
        out.className = 'error'; out.textContent = 'error: ' + err.message;
      }
    },
  },
  h('label', { for: `${id}-args` }, 'Arguments (JSON object or array)'), area,
  h('div', {}, h('button', { type: 'submit' }, `Query ${entry.name}`)), out);
  return form;
}

async function contractPage(id) {
  let c;
  try { c = await rpc('sc_getContract', [id]); } catch (e) { return notFound('Contract not found', e.message); }
  const [storage, events, account] = await rpcBatch([['sc_getStorage', [id]], ['sc_getEvents', [id, 0, 1000]], ['sc_getAccount', [id]]]);
  const entries = c.schema && Array.isArray(c.schema.entry_points) ? c.schema.entry_points : [];
  const entryList = entries.map((e, i) => h('article', { class: 'entry', 'aria-labelledby': `entry-${i}` },
    h('h3', { id: `entry-${i}` }, `${e.name}(${(e.args || []).map(a => `${a.name}: ${a.type}`).join(', ')}) → ${e.returns}`),
    e.doc ? h('p', {}, e.doc) : null,
    queryForm(c.id, e, i)));
  const storageRows = storage instanceof Error ? [] : storage.keys.map(k => {
    const text = hexToAscii(k.key);
    return row([h('code', {}, k.key), text ? h('code', {}, JSON.stringify(text)) : h('span', { class: 'muted' }, 'binary'),
      { num: k.size }, h('a', { href: `/proof?contract=${c.id}&key=${k.key}` }, 'prove')]);
  });
  const recent = events instanceof Error ? [] : events.slice(-20).reverse();
  const eventsSection = h('section', { 'aria-labelledby': 'cev-h', id: 'contract-events' }, h('h2', { id: 'cev-h' }, 'Recent events'));
  const drawEvents = () => eventsSection.replaceChildren(eventsSection.firstChild,
    recent.length ? eventsTable(`The ${recent.length} newest event(s), updated live`, recent, true) : h('p', { class: 'muted' }, 'No events yet.'));
  drawEvents();
  cleanups.push(live.on('sc_subscribeEvents', [c.id], (e) => {
    recent.unshift(e);
    if (recent.length > 20) recent.pop();
    drawEvents();
    const first = $('tbody tr', eventsSection);
    if (first) first.classList.add('fresh');
  }));
  return page('Contract ' + short(c.id),
    h('section', { 'aria-labelledby': 'c-h' }, h('h2', { id: 'c-h' }, 'Contract'),
      fields([
        ['Id', h('span', { class: 'hash' }, c.id)],
        ['Code hash', h('span', { class: 'hash' }, c.code_hash)],
        ['Code size', `${num(c.size)} bytes`],
        ['Owner', idLink('account', c.owner, true)],
        ['Balance', account instanceof Error ? '–' : amount(account.balance)],
        ['At height', blockLink(c.height)],
      ])),
    h('section', { 'aria-labelledby': 'ep-h' }, h('h2', { id: 'ep-h' }, 'Entry points'),
      entries.length ? [h('p', { class: 'muted' }, 'From the schema embedded in the contract. A query runs read-only against the head state: nothing is sent to the chain.'),
        h('div', { class: 'entries' }, entryList)] : h('p', { class: 'muted' }, 'This contract embeds no schema.')),
    h('section', { 'aria-labelledby': 'st-h' }, h('h2', { id: 'st-h' }, 'Storage'),
      storage instanceof Error ? h('p', { class: 'error' }, storage.message)
        : storageRows.length ? table(`${storage.total} key(s) at height ${storage.height}` + (storage.total > storage.keys.length ? `, first ${storage.keys.length}` : ''),
          ['Key (hex)', 'As text', ['Value bytes', 'num'], 'Proof'], storageRows) : h('p', { class: 'muted' }, 'No storage.')),
    eventsSection);
}

// ---------------------------------------------------------------------------------------------
// Account: balance, nonce, recent transactions
// ---------------------------------------------------------------------------------------------

async function accountPage(id) {
  let acc;
  try { acc = await rpc('sc_getAccount', [id]); } catch (e) { return notFound('Account not found', e.message); }
  const { blocks } = await recentBlocks(RECENT_BLOCKS, true);
  const txs = [];
  for (const b of blocks) {
    for (const t of b.transactions) {
      const a = t.action;
      if (t.sender === id || a.to === id || a.contract === id) txs.push({ t, b });
    }
  }
  const receipts = await rpcBatch(txs.slice(0, 50).map(({ t }) => ['sc_getTransaction', [t.hash]]));
  const rows = txs.slice(0, 50).map(({ t, b }, i) => {
    const r = receipts[i] instanceof Error ? null : receipts[i].receipt;
    return row([idLink('tx', t.hash), blockLink(b.height), t.sender === id ? 'out' : 'in', actionSummary(t.action),
      r ? badge(r.status) : '–', { num: r ? amount(r.fee) : '–' }]);
  });
  let isContract = false;
  try { await rpc('sc_getContract', [id]); isContract = true; } catch (_) { /* a plain account */ }
  const lowest = blocks.length ? blocks[blocks.length - 1].height : 0;
  return page('Account ' + short(id),
    fields([
      ['Id', h('span', { class: 'hash' }, acc.account)],
      ['Balance', h('span', { id: 'balance' }, amount(acc.balance))],
      ['Nonce', h('span', { id: 'nonce' }, String(acc.nonce))],
      isContract ? ['Contract', idLink('contract', id)] : undefined,
      ['Proof', h('a', { href: `/proof?account=${id}` }, 'prove this account against the head state root')],
    ].filter(Boolean)),
    h('section', { 'aria-labelledby': 'atx-h' }, h('h2', { id: 'atx-h' }, 'Recent transactions'),
      rows.length ? table(`${txs.length} transaction(s) in blocks ${lowest} to ${blocks.length ? blocks[0].height : 0}` + (txs.length > 50 ? ', newest 50 shown' : ''),
        ['Hash', 'Block', 'Direction', 'Action', 'Status', ['Fee', 'num']], rows)
        : h('p', { class: 'muted' }, `No transactions in blocks ${lowest} to ${blocks.length ? blocks[0].height : 0}.`)));
}

// ---------------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------------

async function searchPage(raw) {
  const q = raw.trim().toLowerCase().replace(/^0x/, '');
  $('#q').value = raw;
  if (/^\d+$/.test(q)) { navigate(`/block/${q}`, true); return page('Searching…'); }
  if (!/^[0-9a-f]{64}$/.test(q)) {
    return page('Search', h('p', { class: 'notice', role: 'alert' },
      `“${raw}” is neither a block height nor a 64-digit hex hash or id.`));
  }
  const [tx, block, contract, account] = await rpcBatch([
    ['sc_getTransaction', [q]], ['sc_getBlockByHash', [q]], ['sc_getContract', [q]], ['sc_getAccount', [q]]]);
  let target = null;
  if (!(tx instanceof Error)) target = `/tx/${q}`;
  else if (!(block instanceof Error)) target = `/block/${block.height}`;
  else if (!(contract instanceof Error)) target = `/contract/${q}`;
  else if (!(account instanceof Error) && (account.nonce > 0 || account.balance !== '0')) target = `/account/${q}`;
  if (target) { navigate(target, true); return page('Searching…'); }
  return page('Search', h('p', { class: 'notice', role: 'alert' }, `Nothing on chain matches ${q}.`),
    h('p', {}, 'An account that has never been used holds nothing: ', h('a', { href: `/account/${q}` }, 'view it as an account anyway'), '.'));
}

document.addEventListener('submit', (e) => {
  if (e.target.id !== 'search') return;
  e.preventDefault();
  navigate('/search?q=' + encodeURIComponent($('#q').value));
});

// ---------------------------------------------------------------------------------------------
// Proofs, checked here: BLAKE2b-256, the borsh proof encoding and the sparse Merkle walk of
// shortcrust-store (crates/store/src/proof.rs, hash.rs), re-implemented independently.
// ---------------------------------------------------------------------------------------------

const BLAKE2B_IV = [
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
  0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19];
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4], [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13], [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11], [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5], [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0]];

/** BLAKE2b with a 32-byte digest (unkeyed), on 64-bit words held as [lo, hi] 32-bit pairs. */
function blake2b256(input) {
  const h32 = BLAKE2B_IV.slice();
  h32[0] ^= 0x01010000 ^ 32; // digest length 32, fanout 1, depth 1
  const v = new Uint32Array(32);
  const m = new Uint32Array(32);
  let t = 0;
  const add = (a, i, b, j) => { // v[a] += v[b] (64-bit)
    const lo = a[i] + b[j];
    const carry = (lo >>> 0) < (a[i] >>> 0) ? 1 : 0;
    a[i + 1] = (a[i + 1] + b[j + 1] + carry) >>> 0;
    a[i] = lo >>> 0;
  };
  const addm = (i, lo, hi) => {
    const l = (v[i] + lo) >>> 0;
    v[i + 1] = (v[i + 1] + hi + (l < v[i] ? 1 : 0)) >>> 0;
    v[i] = l;
  };
  const g = (a, b, c, d, x, y) => {
    addm(a, 0, 0); add(v, a, v, b); addm(a, m[x], m[x + 1]);
    let xl = v[d] ^ v[a], xh = v[d + 1] ^ v[a + 1]; v[d] = xh; v[d + 1] = xl; // rotr 32
    add(v, c, v, d);
    xl = v[b] ^ v[c]; xh = v[b + 1] ^ v[c + 1]; // rotr 24
    v[b] = (xl >>> 24) ^ (xh << 8); v[b + 1] = (xh >>> 24) ^ (xl << 8);
    add(v, a, v, b); addm(a, m[y], m[y + 1]);
    xl = v[d] ^ v[a]; xh = v[d + 1] ^ v[a + 1]; // rotr 16
    v[d] = (xl >>> 16) ^ (xh << 16); v[d + 1] = (xh >>> 16) ^ (xl << 16);
    add(v, c, v, d);
    xl = v[b] ^ v[c]; xh = v[b + 1] ^ v[c + 1]; // rotr 63 = rotl 1
    v[b] = (xh >>> 31) ^ (xl << 1); v[b + 1] = (xl >>> 31) ^ (xh << 1);
  };
  const compress = (block, last) => {
    for (let i = 0; i < 16; i++) { v[i] = h32[i]; v[i + 16] = BLAKE2B_IV[i]; }
    v[24] ^= t >>> 0; v[25] ^= Math.floor(t / 0x100000000);
    if (last) { v[28] = ~v[28]; v[29] = ~v[29]; }
    for (let i = 0; i < 32; i++) {
      m[i] = block[i * 4] ^ (block[i * 4 + 1] << 8) ^ (block[i * 4 + 2] << 16) ^ (block[i * 4 + 3] << 24);
    }
    for (let r = 0; r < 12; r++) {
      const s = SIGMA[r % 10];
      g(0, 8, 16, 24, s[0] * 2, s[1] * 2); g(2, 10, 18, 26, s[2] * 2, s[3] * 2);
      g(4, 12, 20, 28, s[4] * 2, s[5] * 2); g(6, 14, 22, 30, s[6] * 2, s[7] * 2);
      g(0, 10, 20, 30, s[8] * 2, s[9] * 2); g(2, 12, 22, 24, s[10] * 2, s[11] * 2);
      g(4, 14, 16, 26, s[12] * 2, s[13] * 2); g(6, 8, 18, 28, s[14] * 2, s[15] * 2);
    }
    for (let i = 0; i < 16; i++) h32[i] = (h32[i] ^ v[i] ^ v[i + 16]) >>> 0;
  };
  const block = new Uint8Array(128);
  let pos = 0;
  while (input.length - pos > 128) {
    t += 128;
    compress(input.subarray(pos, pos + 128), false);
    pos += 128;
  }
  block.fill(0);
  block.set(input.subarray(pos));
  t += input.length - pos;
  compress(block, true);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = h32[i >> 2] >>> (8 * (i & 3));
  return out;
}

const fromHex = (s) => new Uint8Array((s.match(/../g) || []).map(x => parseInt(x, 16)));
const toHex = (b) => Array.from(b, x => x.toString(16).padStart(2, '0')).join('');
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
const tagged = (tag, ...parts) => blake2b256(concat(Uint8Array.of(tag), ...parts));
const EMPTY = new Uint8Array(32);
const eq = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const bit = (path, d) => ((path[d >> 3] >> (7 - (d & 7))) & 1) === 1;
function commonPrefixBits(a, b) {
  for (let i = 0; i < 32; i++) {
    const x = a[i] ^ b[i];
    if (x) return i * 8 + Math.clz32(x) - 24;
  }
  return 256;
}

/** Borsh reader for StorageProof. */
function reader(bytes) {
  let o = 0;
  const need = (n) => { if (o + n > bytes.length) throw new Error('proof encoding ends early'); };
  const r = {
    u8() { need(1); return bytes[o++]; },
    u16() { need(2); const v = bytes[o] | (bytes[o + 1] << 8); o += 2; return v; },
    u32() { need(4); const v = (bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16)) + bytes[o + 3] * 0x1000000; o += 4; return v; },
    fixed(n) { need(n); const v = bytes.slice(o, o + n); o += n; return v; },
    vec() { return r.fixed(r.u32()); },
    option(f) { const t = r.u8(); if (t === 0) return null; if (t === 1) return f(); throw new Error('bad option tag'); },
    merkle() {
      const depth = r.u16();
      if (depth > 256) throw new Error('merkle proof deeper than 256 levels');
      const bitmap = r.fixed(Math.ceil(depth / 8));
      const siblings = [];
      for (let i = 0; i < depth; i++) siblings.push(bitmap[i >> 3] & (0x80 >> (i & 7)) ? r.fixed(32) : EMPTY);
      const t = r.u8();
      const terminal = t === 0 ? null : t === 1 ? { path: r.fixed(32), valueHash: r.fixed(32) } : (() => { throw new Error('bad terminal tag'); })();
      return { siblings, terminal };
    },
    done() { return o === bytes.length; },
  };
  return r;
}
function decodeStorageProof(bytes) {
  const r = reader(bytes);
  const contract = r.fixed(32);
  const path = r.merkle();
  const record = r.option(() => ({ id: r.fixed(32), owner: r.fixed(32), codeHash: r.fixed(32), storageRoot: r.fixed(32) }));
  const key = r.vec();
  const storagePath = r.option(() => r.merkle());
  const value = r.option(() => r.vec());
  if (!r.done()) throw new Error('trailing bytes after the proof');
  return { contract, path, record, key, storagePath, value };
}
/** Recomputes a root from a walk towards `path`; returns {root, present, valueHash}. */
function evaluate(proof, path) {
  const depth = proof.siblings.length;
  let acc = EMPTY, present = false, valueHash = null;
  if (proof.terminal) {
    if (commonPrefixBits(proof.terminal.path, path) < depth) throw new Error('the terminal leaf is off the path');
    present = eq(proof.terminal.path, path);
    valueHash = proof.terminal.valueHash;
    acc = tagged(0x00, proof.terminal.path, proof.terminal.valueHash);
  }
  for (let d = depth - 1; d >= 0; d--) {
    acc = bit(path, d) ? tagged(0x01, proof.siblings[d], acc) : tagged(0x01, acc, proof.siblings[d]);
  }
  return { root: acc, present, valueHash, depth };
}
/** Checks a proof against the state root; returns the steps, each {text, ok}, and a verdict. */
function checkProof(proofHex, stateRootHex, contractHex, keyHex) {
  const steps = [];
  const step = (ok, text) => { steps.push({ ok, text }); if (!ok) throw new Error(text); };
  try {
    const p = decodeStorageProof(fromHex(proofHex));
    const contract = fromHex(contractHex), key = fromHex(keyHex), stateRoot = fromHex(stateRootHex);
    step(eq(p.contract, contract) && eq(p.key, key), `The proof is about contract ${short(contractHex)} and key ${keyHex || '(empty)'}.`);
    const cPath = tagged(0x02, contract);
    const c = evaluate(p.path, cPath);
    step(eq(c.root, stateRoot), `Global tree: ${c.depth} sibling hash(es) from the contract's leaf recompute ${toHex(c.root)}, the block's state root.`);
    if (!p.record) {
      step(!c.present && !p.storagePath && !p.value, 'The walk ends off the contract\'s path: no such contract at this root.');
      return { steps, ok: true, verdict: 'Proven: no such contract in this state.' };
    }
    const vh = tagged(0x04, p.record.owner, p.record.codeHash, p.record.storageRoot);
    step(c.present && eq(p.record.id, contract) && eq(vh, c.valueHash), `The contract's leaf holds its record (owner ${short(toHex(p.record.owner))}, code hash ${short(toHex(p.record.codeHash))}, storage root ${short(toHex(p.record.storageRoot))}).`);
    step(!!p.storagePath, 'A storage walk follows the contract record.');
    const k = evaluate(p.storagePath, tagged(0x03, key));
    step(eq(k.root, p.record.storageRoot), `Storage tree: ${k.depth} sibling hash(es) from the key's leaf recompute the contract's storage root.`);
    if (!k.present) {
      step(!p.value, 'The walk ends off the key\'s path.');
      return { steps, ok: true, verdict: 'Proven: the key is absent from the contract\'s storage.' };
    }
    step(!!p.value && eq(tagged(0x05, p.value), k.valueHash), `The key's leaf holds BLAKE2b(0x05 ‖ value) of the ${p.value ? p.value.length : 0}-byte value.`);
    return { steps, ok: true, verdict: `Proven: the key holds 0x${toHex(p.value)}.`, value: toHex(p.value) };
  } catch (e) {
    if (!steps.length || steps[steps.length - 1].ok) steps.push({ ok: false, text: e.message });
    return { steps, ok: false, verdict: 'The proof does not check: ' + e.message };
  }
}

async function proofPage(q) {
  const isAccount = q.has('account');
  const form = h('form', { class: 'grid', id: 'proof-form', action: '/proof', method: 'get' },
    h('label', { for: 'pf-contract' }, 'Contract id'),
    h('input', { id: 'pf-contract', name: 'contract', class: 'mono', value: q.get('contract') || '', placeholder: '64 hex digits', spellcheck: 'false' }),
    h('label', { for: 'pf-key' }, 'Storage key (hex)'),
    h('input', { id: 'pf-key', name: 'key', class: 'mono', value: q.get('key') || '', spellcheck: 'false' }),
    h('label', { for: 'pf-account' }, 'or an account id'),
    h('input', { id: 'pf-account', name: 'account', class: 'mono', value: q.get('account') || '', placeholder: 'instead of contract and key', spellcheck: 'false' }),
    h('label', { for: 'pf-block' }, 'Block height'),
    h('input', { id: 'pf-block', name: 'block', inputmode: 'numeric', value: q.get('block') || '', placeholder: 'latest' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Fetch and check the proof')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (String(v).trim()) params.set(k, String(v).trim());
    navigate('/proof?' + params.toString());
  });
  const content = [h('p', {}, 'Fetches a Merkle proof of a storage key (or of an account\'s record) from the node, then checks it here, in your browser, against the state root in the block header: hashes recomputed with BLAKE2b-256, nothing taken on the node\'s word.'), form];
  const contract = q.get('contract'), key = q.get('key') || '', account = q.get('account');
  if ((contract || account)) {
    const block = q.get('block') ? Number(q.get('block')) : 'latest';
    let proof;
    try {
      proof = account ? await rpc('sc_getAccountProof', [account, block]) : await rpc('sc_getProof', [contract, key, block]);
    } catch (e) {
      content.push(h('p', { class: 'notice', role: 'alert' }, e.message));
      return page('Proof', content);
    }
    const header = await rpc('sc_getBlockByHeight', [proof.height]);
    const result = checkProof(proof.proof, header.state_root, proof.contract, proof.key);
    content.push(h('section', { 'aria-labelledby': 'pr-h', id: 'proof-result' }, h('h2', { id: 'pr-h' }, `Against block #${proof.height}`),
      fields([
        ['Block', blockLink(proof.height)],
        ['State root (header)', h('span', { class: 'hash' }, header.state_root)],
        ['Contract', isAccount ? h('span', {}, h('span', { class: 'hash' }, proof.contract), ' (the accounts namespace)') : idLink('contract', proof.contract, true)],
        ['Key', h('code', {}, proof.key || '(empty)')],
        ['Proof', h('span', {}, `${proof.proof.length / 2} bytes`)],
        isAccount ? ['Account', `balance ${amount(proof.balance)}, nonce ${proof.nonce}`] : undefined,
      ].filter(Boolean)),
      h('h3', {}, 'Checking'),
      h('ol', { class: 'steps', id: 'proof-steps' }, result.steps.map(s => h('li', {}, s.ok ? '✓ ' : '✗ ', s.text))),
      h('p', { class: 'verdict ' + (result.ok ? 'ok' : 'failed'), id: 'proof-verdict', role: 'status' }, result.verdict)));
  }
  return page('Proof', content);
}

// ---------------------------------------------------------------------------------------------

live.on('sc_subscribeNewBlocks', [], (b) => { head = b; setLive(true); });
live.connect();
render(false);
