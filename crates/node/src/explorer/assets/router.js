// router.js — pages from the URL path (History API): same-origin link clicks and back/forward
// re-render <main> without a reload; each view registers under its first path segment with
// route() and may register cleanups (subscriptions, timers) that run on the next navigation.

import { $, h } from './util.js';

let cleanups = [];
let renderSeq = 0;

/** First path segment ('' for the overview at /) → async (parts, query) => page content. */
const routes = new Map();

/** Registers the view answering paths whose first segment is `first`. */
function route(first, view) {
  routes.set(first, view);
}

/** Runs `f` when the current page is left (the next render). */
function onCleanup(f) {
  cleanups.push(f);
}

function navigate(url, replace) {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render(true);
}

document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[href]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || a.target || url.pathname.startsWith('/assets/')) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener('popstate', () => render(true));

async function render(focus) {
  const seq = ++renderSeq;
  for (const c of cleanups) c();
  cleanups = [];
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const q = new URLSearchParams(location.search);
  for (const a of document.querySelectorAll('nav a')) {
    const target = a.getAttribute('href');
    const current = target === '/' ? path === '/' : path.startsWith(target);
    if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const main = $('#main');
  main.setAttribute('aria-busy', 'true');
  let content;
  try {
    const view = routes.get(parts[0] === undefined ? '' : parts[0]);
    content = view ? await view(parts, q) : notFound('No such page', `There is no explorer page at ${path}.`);
  } catch (e) {
    content = notFound('Error', e.message || String(e));
  }
  if (seq !== renderSeq) return; // a newer navigation won
  main.replaceChildren(content);
  main.removeAttribute('aria-busy');
  const h1 = $('h1', main);
  document.title = (h1 ? h1.textContent + ' · ' : '') + 'Shortcrust explorer';
  if (focus && h1) {
    h1.setAttribute('tabindex', '-1');
    h1.focus({ preventScroll: false });
  }
}

function page(title, ...content) {
  return h('div', {}, h('h1', {}, title), content);
}
function notFound(title, message) {
  return page(title, h('p', { class: 'notice', role: 'alert' }, message), h('p', {}, h('a', { href: '/' }, 'Back to the overview')));
}

export { navigate, notFound, onCleanup, page, render, route };
