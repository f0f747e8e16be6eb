// views/search.js — the header's search form and /search?q=: a block height goes straight to
// the block; a 64-digit hex string is tried as a transaction, block hash, contract and account,
// in that order, and the first match replaces the search page in the history.

import { navigate, page } from '../router.js';
import { rpcBatch } from '../rpc.js';
import { $, h } from '../util.js';

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

export { searchPage };
