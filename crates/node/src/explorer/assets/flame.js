// flame.js — a transaction's call tree: frames nested by depth, the revert path through failed
// frames, the per-frame gas split (memory, WASM instructions, each host function, callees) as
// nested lists, and the same numbers as an SVG gas flame graph.

import { badge, h, idLink, num, row, short, table } from './util.js';

/** Frames (depth-first, with depth) → tree nodes {frame, children}. */
function callTree(calls) {
  const roots = [];
  const stack = [];
  for (const f of calls) {
    const node = { frame: f, children: [] };
    while (stack.length && stack[stack.length - 1].frame.depth >= f.depth) stack.pop();
    if (stack.length) stack[stack.length - 1].children.push(node); else roots.push(node);
    stack.push(node);
  }
  return roots;
}

/** From the failed root frame down through failed callees to where the failure started. */
function revertPath(roots) {
  const path = [];
  let level = roots.filter(n => n.frame.error);
  while (level.length) {
    const n = level[level.length - 1];
    path.push(n);
    level = n.children.filter(c => c.frame.error);
  }
  return path;
}

function frameLabel(f) {
  return h('span', {}, idLink('contract', f.contract), '.', h('code', {}, f.entry));
}

function frameItem(node) {
  const f = node.frame;
  const split = [];
  if (f.host) {
    if (f.memory_gas) split.push(row(['initial memory', '', { num: num(f.memory_gas) }]));
    split.push(row(['WASM instructions', '', { num: num(f.instruction_gas) }]));
    for (const hg of f.host) split.push(row([h('code', {}, hg.name), { num: hg.calls }, { num: num(hg.gas) }]));
    if (node.children.length) split.push(row(['callees', { num: node.children.length }, { num: num(f.callees_gas) }]));
  }
  return h('li', {},
    h('div', { class: 'frame' + (f.error ? ' failed' : ''), 'data-entry': f.entry },
      h('div', {}, frameLabel(f), ' — ', h('strong', {}, num(f.gas_spent)), ' gas of ', num(f.gas_limit),
        f.error ? [' ', badge('failed'), ' ', h('span', { class: 'error' }, f.error)] : ''),
      split.length ? table(`Gas of ${f.entry}`, ['Where', ['Calls', 'num'], ['Gas', 'num']], split) : null),
    node.children.length ? h('ol', {}, node.children.map(frameItem)) : null);
}

const FLAME_COLORS = { frame: '#e8a65d', failed: '#e2776b', host: '#8fb8de', instructions: '#f3d39b', memory: '#c9b8e8' };

/** A gas flame graph: one row per call depth, each frame as wide as its gas; below a frame,
 * its callees, host functions, memory and own instructions side by side. */
function flameGraph(roots) {
  const total = roots.reduce((a, n) => a + n.frame.gas_spent, 0) || 1;
  const W = 1000, ROW = 22;
  const rects = [];
  let depth = 0;
  function place(items, x0, level) {
    depth = Math.max(depth, level + 1);
    let x = x0;
    for (const it of items) {
      const w = (it.gas / total) * W;
      rects.push({ x, y: level * ROW, w, it });
      if (it.children) place(it.children, x, level + 1);
      x += w;
    }
  }
  function items(node) {
    const f = node.frame;
    const kids = node.children.map(items);
    if (f.host) {
      for (const hg of f.host) kids.push({ label: hg.name, gas: hg.gas, kind: 'host', note: `${hg.calls} call(s)` });
      if (f.memory_gas) kids.push({ label: 'memory', gas: f.memory_gas, kind: 'memory' });
      if (f.instruction_gas) kids.push({ label: 'instructions', gas: f.instruction_gas, kind: 'instructions' });
    }
    return { label: `${short(f.contract)}.${f.entry}`, gas: f.gas_spent, kind: f.error ? 'failed' : 'frame', children: kids };
  }
  place(roots.map(items), 0, 0);
  const svg = h('svg', { viewBox: `0 0 ${W} ${depth * ROW}`, role: 'img', id: 'flame',
    'aria-label': `Gas flame graph: ${roots.length} top frame(s), ${depth} level(s); the call tree above lists the same numbers.` },
  rects.map(r => h('g', { class: 'flame-' + r.it.kind },
    h('title', {}, `${r.it.label}: ${num(r.it.gas)} gas (${(100 * r.it.gas / total).toFixed(1)}%)${r.it.note ? ', ' + r.it.note : ''}`),
    h('rect', { x: r.x, y: r.y, width: Math.max(r.w, 0.5), height: ROW - 2, fill: FLAME_COLORS[r.it.kind] }),
    r.w > 60 ? h('text', { x: r.x + 4, y: r.y + 15 }, truncate(r.it.label, Math.floor(r.w / 7))) : null)));
  return h('figure', { class: 'flame' }, svg,
    h('figcaption', { class: 'legend' }, 'Width is gas. Orange: call frames (red if failed); blue: host functions; yellow: the frame\'s own WASM instructions; violet: initial memory.'));
}
function truncate(s, n) {
  return s.length > n ? s.slice(0, Math.max(1, n - 1)) + '…' : s;
}

export { callTree, flameGraph, frameItem, frameLabel, revertPath };
