// views/account.js — one account (/account/<id>): balance, nonce, a link to its proof, and its
// transactions among the recent blocks (sent, received, or calls to it if it is a contract).

import { notFound, page } from '../router.js';
import { RECENT_BLOCKS, recentBlocks, rpc, rpcBatch } from '../rpc.js';
import { actionSummary, amount, badge, blockLink, fields, h, idLink, row, short, table } from '../util.js';

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

export { accountPage };
