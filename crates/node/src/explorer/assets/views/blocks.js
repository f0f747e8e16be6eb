// views/blocks.js — the block list (/blocks, paged with ?before=) and one block (/block/<height
// or hash>): its header, gas meter and transactions with their receipts' status and gas.

import { notFound, page } from '../router.js';
import { rpc, rpcBatch } from '../rpc.js';
import { actionSummary, badge, blockLink, fields, gasMeter, h, idLink, num, row, table, time } from '../util.js';

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

export { blockPage, blocksPage };
