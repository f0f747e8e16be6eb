// views/overview.js — the overview at /: head and finalized heights, block time, transactions
// per second (live SVG chart), the latest blocks and transactions (updated live from the
// new-blocks subscription), and the validators when there are several.

import { onCleanup, page } from '../router.js';
import { RECENT_BLOCKS, live, recentBlocks, rpc } from '../rpc.js';
import { $, actionSummary, ago, blockLink, h, idLink, num, row, table } from '../util.js';

const CHART_BUCKETS = 30;
const CHART_BUCKET_SECS = 10;

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
  onCleanup(stop);
  onCleanup(() => clearInterval(tick));

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

export { overviewPage };
