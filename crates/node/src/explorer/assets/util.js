// util.js — DOM building and formatting shared by every view: the h() element builder, short
// hashes and id links, grouped numbers, times and ages, status badges, field lists and tables,
// plus the small chain widgets several views draw (action summaries, gas meters, event tables).
// Untrusted text only ever reaches the page through text nodes (h() children): never as HTML.

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

function gasMeter(used, limit, compact) {
  const pct = limit ? (100 * used / limit) : 0;
  const m = h('meter', { min: 0, max: limit || 1, value: used, title: `${pct.toFixed(4)}% of the limit` });
  m.setAttribute('aria-label', `gas used: ${pct.toFixed(4)} percent of the limit`);
  if (compact) return m;
  return h('span', {}, `${num(used)} of ${num(limit)} (${pct < 0.01 && used ? '<0.01' : pct.toFixed(2)}%) `, m);
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

function eventsTable(caption, events, withTx) {
  const rows = events.map(e => row([
    idLink('contract', e.contract), h('code', { class: 'nowrap' }, e.topic),
    e.decoded ? h('code', { class: 'mono' }, JSON.stringify(e.decoded.fields !== undefined ? e.decoded.fields : e.decoded)) : h('code', {}, e.data || '(empty)'),
    withTx && e.tx_hash ? h('span', {}, idLink('tx', e.tx_hash), ' in ', blockLink(e.block_height)) : null,
  ].filter(c => c !== null)));
  return table(caption, ['Contract', 'Topic', 'Data (decoded)'].concat(withTx ? ['Transaction'] : []), rows);
}

export {
  $, actionSummary, ago, amount, badge, blockLink, eventsTable, fields, gasMeter, h,
  hexToAscii, idLink, num, row, short, table, time,
};
