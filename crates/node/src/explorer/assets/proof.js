// proof.js — checks a state proof against a block's state root: the borsh proof encoding and
// the sparse Merkle walk of shortcrust-store (crates/store/src/proof.rs, hash.rs),
// re-implemented independently on top of blake2b.js. checkProof() explains each step.

import { blake2b256 } from './blake2b.js';
import { short } from './util.js';

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

export { checkProof };
