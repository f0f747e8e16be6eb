// views/tx.js — one transaction (/tx/<hash>): status, fee and gas, the revert path of a failed
// call, the call tree with gas per frame and host function (sc_traceTransaction) and its flame
// graph (flame.js), and the decoded events; a pending transaction re-renders on each block.

import { callTree, flameGraph, frameItem, frameLabel, revertPath } from '../flame.js';
import { notFound, onCleanup, page, render } from '../router.js';
import { live, rpc } from '../rpc.js';
import { actionSummary, amount, badge, blockLink, eventsTable, fields, gasMeter, h, idLink, num, short } from '../util.js';

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
    onCleanup(stop);
  }
  return page('Transaction ' + short(t.hash), content);
}

export { txPage };
