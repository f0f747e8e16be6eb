// app.js — the entry point of the Shortcrust explorer: vanilla JavaScript, no dependencies. It
// maps each page path to its view, starts the live WebSocket and renders the current URL. The
// pages read the node's JSON-RPC over HTTP (same origin) and its WebSocket subscriptions for
// live updates (rpc.js), and are rendered from the URL path (router.js, History API).
// Untrusted text (entry names, topics, errors) is only ever set as text: never as HTML.
//
// Why native ES modules (<script type="module">, import/export) rather than ordered classic
// scripts: every file names what it uses and what it offers, so the dependencies between the
// files are checked by the browser instead of resting on the order of <script> tags and on one
// shared global scope; modules are strict and deferred by default (what `defer` gave the one
// script before); and they need no bundler or build step — the browser fetches each file from
// /assets/ as served by the node (mod.rs), which the Content-Security-Policy's
// `script-src 'self'` allows. Only this file is named in index.html.
//
// The files, by concern:
//   util.js            DOM building and formatting
//   rpc.js             JSON-RPC over HTTP, the WebSocket subscriptions, the live indicator
//   router.js          URL path → view, link interception, cleanups between pages
//   blake2b.js         BLAKE2b-256
//   proof.js           the state proof decoding and Merkle check
//   flame.js           the call tree and the gas flame graph
//   views/overview.js  /                   views/blocks.js    /blocks, /block/…
//   views/tx.js        /tx/…               views/contract.js  /contract/…
//   views/account.js   /account/…          views/search.js    /search (and the header form)
//   views/proof.js     /proof

import { live, showHead } from './rpc.js';
import { render, route } from './router.js';
import { accountPage } from './views/account.js';
import { blockPage, blocksPage } from './views/blocks.js';
import { contractPage } from './views/contract.js';
import { overviewPage } from './views/overview.js';
import { proofPage } from './views/proof.js';
import { searchPage } from './views/search.js';
import { txPage } from './views/tx.js';

// First path segment → view; any other path is "No such page". Keep in step with PAGES in
// mod.rs, which answers these paths with the page shell.
route('', () => overviewPage());
route('blocks', (parts, q) => blocksPage(q));
route('block', (parts) => blockPage(parts[1]));
route('tx', (parts) => txPage(parts[1]));
route('contract', (parts) => contractPage(parts[1]));
route('account', (parts) => accountPage(parts[1]));
route('proof', (parts, q) => proofPage(q));
route('search', (parts, q) => searchPage(q.get('q') || ''));

live.on('sc_subscribeNewBlocks', [], showHead);
live.connect();
render(false);
