// rpc.js — the node's JSON-RPC: calls and batches over HTTP (same origin), the one WebSocket
// carrying every subscription (reconnecting, with the live/head indicator in the header), and
// recentBlocks(), the "newest N blocks" query the overview and account views share.

import { $ } from './util.js';

class RpcError extends Error {
  constructor(e) { super(e.message); this.code = e.code; this.data = e.data; }
}
let rpcId = 0;
async function rpc(method, params) {
  const res = await fetch('/', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params: params || [] }),
  });
  const body = await res.json();
  if (body.error) throw new RpcError(body.error);
  return body.result;
}
/** Many calls in JSON-RPC batches of at most 100; each result or an RpcError, in order. */
async function rpcBatch(calls) {
  const out = [];
  for (let i = 0; i < calls.length; i += 100) {
    const chunk = calls.slice(i, i + 100).map(([method, params]) =>
      ({ jsonrpc: '2.0', id: ++rpcId, method, params: params || [] }));
    if (!chunk.length) break;
    const res = await fetch('/', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(chunk),
    });
    const body = await res.json();
    const byId = new Map(body.map(r => [r.id, r]));
    for (const c of chunk) {
      const r = byId.get(c.id);
      out.push(!r ? new RpcError({ message: 'no response' }) : r.error ? new RpcError(r.error) : r.result);
    }
  }
  return out;
}

/** One WebSocket for all subscriptions, reconnecting; handlers by key survive reconnects. */
const live = {
  ws: null, subs: new Map(), pending: new Map(), bySubId: new Map(), open: false,
  connect() {
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/');
    this.ws = ws;
    ws.onopen = () => {
      this.open = true;
      setLive(true);
      for (const key of this.subs.keys()) this.send(key);
    };
    ws.onclose = () => {
      this.open = false;
      this.bySubId.clear();
      setLive(false);
      setTimeout(() => this.connect(), 2000);
    };
    ws.onmessage = (m) => {
      let msg;
      try { msg = JSON.parse(m.data); } catch (_) { return; }
      if (msg.id !== undefined && this.pending.has(msg.id)) {
        const key = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.result !== undefined && this.subs.has(key)) this.bySubId.set(String(msg.result), key);
        return;
      }
      if (msg.params && msg.params.subscription !== undefined) {
        const key = this.bySubId.get(String(msg.params.subscription));
        const sub = key && this.subs.get(key);
        if (sub) for (const f of sub.handlers) f(msg.params.result);
      }
    };
  },
  send(key) {
    const sub = this.subs.get(key);
    if (!sub || !this.open) return;
    const id = ++rpcId;
    this.pending.set(id, key);
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method: sub.method, params: sub.params }));
  },
  /** Calls f for each notification; returns a function that stops (the socket stays). */
  on(method, params, f) {
    const key = method + JSON.stringify(params);
    let sub = this.subs.get(key);
    if (!sub) {
      sub = { method, params, handlers: new Set() };
      this.subs.set(key, sub);
      this.send(key);
    }
    sub.handlers.add(f);
    return () => sub.handlers.delete(f);
  },
};

let head = null;
function setLive(on) {
  $('#live').classList.toggle('on', on);
  $('#live-text').textContent = on
    ? (head ? `live · head #${head.height}` : 'live')
    : 'reconnecting…';
}
/** Records a new head (from the new-blocks subscription) for the live indicator. */
function showHead(b) {
  head = b;
  setLive(true);
}

/** How many of the newest blocks the overview and account views read. */
const RECENT_BLOCKS = 200;

/** The `count` newest blocks (newest first, with transactions if `full`) and the status. */
async function recentBlocks(count, full) {
  const status = await rpc('sc_status');
  const top = status.head_height;
  const calls = [];
  for (let hgt = top; hgt >= 0 && hgt > top - count; hgt--) calls.push(['sc_getBlockByHeight', [hgt, !!full]]);
  const blocks = (await rpcBatch(calls)).filter(b => !(b instanceof Error));
  return { status, blocks };
}

export { RECENT_BLOCKS, RpcError, live, recentBlocks, rpc, rpcBatch, showHead };
