// views/proof.js — the proof page (/proof?contract=&key= or ?account=, optional &block=):
// fetches a Merkle proof from the node, then checks it here against the state root in the
// block header (proof.js, blake2b.js) and lists every step of the check with its verdict.

import { checkProof } from '../proof.js';
import { navigate, page } from '../router.js';
import { rpc } from '../rpc.js';
import { amount, blockLink, fields, h, idLink } from '../util.js';

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

export { proofPage };
