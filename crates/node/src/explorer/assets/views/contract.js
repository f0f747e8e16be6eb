// views/contract.js — one contract (/contract/<id>): metadata, its entry points (from the
// embedded schema) each with a read-only query form (sc_call), its storage keys with links to
// their proofs, and its recent events, updated live from the events subscription.

import { notFound, onCleanup, page } from '../router.js';
import { live, rpc, rpcBatch } from '../rpc.js';
import { $, amount, blockLink, eventsTable, fields, h, hexToAscii, idLink, num, row, short, table } from '../util.js';

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
  onCleanup(live.on('sc_subscribeEvents', [c.id], (e) => {
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

export { contractPage };
