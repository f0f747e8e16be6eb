// blake2b.js — BLAKE2b-256 (unkeyed, 32-byte digest) in plain JavaScript, so state proofs are
// checked in the browser rather than taken on the node's word; the same hash as
// shortcrust-store (crates/store/src/hash.rs), re-implemented independently.

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

export { blake2b256 };
