//! The block explorer: web pages served by the node itself at `/` of its RPC port.
//!
//! # The front-end stack, and why
//!
//! Hand-written semantic HTML (one page shell), vanilla JavaScript as native ES modules (the
//! entry `app.js` and the files it imports, one per concern: `SCRIPTS`) and one CSS file,
//! embedded in the binary with `include_str!` and answered by a [`tower::Layer`] set on the
//! jsonrpsee HTTP server ([`ExplorerLayer`]): a `GET`/`HEAD` for `/`, a page path (`/block/7`,
//! `/tx/…`, `/contract/…`, `/account/…`, `/blocks`, `/proof`) or `/assets/…` is answered here;
//! everything else — JSON-RPC `POST`s and WebSocket upgrades (a `GET` with `Upgrade:
//! websocket`) — passes through untouched. Chosen because:
//!
//! - no extra service and no internet: the node is the web server, every byte of the explorer
//!   is in the binary, no CDN, no fonts, no framework;
//! - no Node.js, no bundler, no build step: `cargo build` and `cargo test` work from a clean
//!   clone, and what the browser runs is exactly the files in `assets/` (the browser resolves
//!   the modules' `import`s itself);
//! - the pages read only the public JSON-RPC (over HTTP, plus the WebSocket subscriptions for
//!   live updates), so the explorer can never see more than any RPC client, and its needs
//!   shape the RPC rather than a private API; two read-only methods were added for it
//!   ([`register`]);
//! - semantic HTML (landmarks, tables with captions and headers, real links and forms) gives
//!   keyboard navigation and screen-reader structure for free; the JS only fills it in.
//!   Pages are real URLs (History API), so links can be opened, bookmarked and shared.
//!
//! The one piece of cryptography the explorer needs, checking a state proof against a block's
//! state root, is done in the browser (BLAKE2b-256 in `blake2b.js`, the Merkle walk in
//! `proof.js`), so the proof view shows an
//! independent check rather than the node's word.

mod trace;

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::{Method, StatusCode, header};
use jsonrpsee::RpcModule;
use jsonrpsee::core::BoxError;
use jsonrpsee::server::{HttpBody, HttpRequest, HttpResponse};
use jsonrpsee::types::ErrorObjectOwned;
use serde_json::{Value, json};
use shortcrust_vm::ContractId;

use crate::error::{RpcCode, internal, invalid_params};
use crate::node::Node;

const INDEX_HTML: &str = include_str!("assets/index.html");
const STYLE_CSS: &str = include_str!("assets/style.css");
const FAVICON_SVG: &str = include_str!("assets/favicon.svg");

/// One entry of [`SCRIPTS`]: `script!("x.js")` is `/assets/x.js` and the text of `assets/x.js`.
macro_rules! script {
    ($file:literal) => {
        (
            concat!("/assets/", $file),
            include_str!(concat!("assets/", $file)),
        )
    };
}

/// The explorer's JavaScript modules: URL path and source. `app.js` is the entry (the only one
/// `index.html` names); it says why ES modules and which file does what.
const SCRIPTS: &[(&str, &str)] = &[
    script!("app.js"),
    script!("util.js"),
    script!("rpc.js"),
    script!("router.js"),
    script!("blake2b.js"),
    script!("proof.js"),
    script!("flame.js"),
    script!("views/overview.js"),
    script!("views/blocks.js"),
    script!("views/tx.js"),
    script!("views/contract.js"),
    script!("views/account.js"),
    script!("views/search.js"),
    script!("views/proof.js"),
];

/// First path segments of the explorer's pages (each answered with the page shell).
const PAGES: &[&str] = &[
    "blocks", "block", "tx", "contract", "account", "proof", "search",
];

/// Most storage keys `sc_getStorage` lists.
pub const MAX_STORAGE_KEYS: usize = 1_000;

/// The response to a `GET` of `path`, if it is the explorer's.
fn asset(path: &str) -> Option<(&'static str, &'static str)> {
    const HTML: &str = "text/html; charset=utf-8";
    const JS: &str = "text/javascript; charset=utf-8";
    if let Some(&(_, source)) = SCRIPTS.iter().find(|(p, _)| *p == path) {
        return Some((JS, source));
    }
    match path {
        "/" | "/index.html" => Some((HTML, INDEX_HTML)),
        "/assets/style.css" => Some(("text/css; charset=utf-8", STYLE_CSS)),
        "/assets/favicon.svg" | "/favicon.ico" => Some(("image/svg+xml", FAVICON_SVG)),
        _ => {
            let first = path.trim_start_matches('/').split('/').next()?;
            PAGES.contains(&first).then_some((HTML, INDEX_HTML))
        }
    }
}

/// The tower layer serving the explorer on the RPC server (see the module docs).
#[derive(Clone, Copy, Debug, Default)]
pub struct ExplorerLayer;

impl<S> tower::Layer<S> for ExplorerLayer {
    type Service = Explorer<S>;

    fn layer(&self, inner: S) -> Explorer<S> {
        Explorer { inner }
    }
}

/// The service [`ExplorerLayer`] wraps around the RPC service.
#[derive(Clone, Debug)]
pub struct Explorer<S> {
    inner: S,
}

impl<S> tower::Service<HttpRequest> for Explorer<S>
where
    S: tower::Service<HttpRequest, Response = HttpResponse, Error = BoxError>,
    S::Future: Send + 'static,
{
    type Response = HttpResponse;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: HttpRequest) -> Self::Future {
        let get = request.method() == Method::GET || request.method() == Method::HEAD;
        let upgrade = request.headers().contains_key(header::UPGRADE);
        if get
            && !upgrade
            && let Some((content_type, body)) = asset(request.uri().path())
        {
            let body = if request.method() == Method::HEAD {
                HttpBody::empty()
            } else {
                HttpBody::from(body)
            };
            let response = http::Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, content_type)
                .header(header::CACHE_CONTROL, "no-cache")
                .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
                .header(
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; \
                     style-src 'self'; script-src 'self'; frame-ancestors 'none'",
                )
                .body(body);
            return Box::pin(async move { response.map_err(BoxError::from) });
        }
        Box::pin(self.inner.call(request))
    }
}

/// Registers the read-only methods the explorer needs beyond the node's core RPC:
///
/// | method | params | result |
/// |---|---|---|
/// | `sc_traceTransaction` | `[hash]` | the call tree of an included transaction, each frame with its gas split: `memory_gas`, `host` (`[{name, calls, gas}]` per host function), `instruction_gas`, `callees_gas` (re-executed, see `trace.rs`) |
/// | `sc_getStorage` | `[contract, block?]` | `{height, contract, total, keys: [{key, size}]}`: the contract's storage keys (hex) and value sizes, sorted, at most [`MAX_STORAGE_KEYS`] |
pub(crate) fn register(
    m: &mut RpcModule<Node>,
) -> Result<(), jsonrpsee::core::RegisterMethodError> {
    m.register_blocking_method("sc_traceTransaction", |p, node, _| {
        trace::trace_transaction(&p, &node)
    })?;
    m.register_method("sc_getStorage", |p, node, _| {
        let mut seq = p.sequence();
        let id: String = seq.next().map_err(|e| invalid_params(e.message()))?;
        let block: Option<Value> = seq
            .optional_next()
            .map_err(|e| invalid_params(e.message()))?;
        let id: [u8; 32] = hex::decode(&id)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| invalid_params("contract id: 64 hex digits"))?;
        let id = ContractId(id);
        let (height, view) = crate::rpc::view_at(node, block.as_ref())?;
        if view.contract(&id).map_err(internal)?.is_none() {
            return Err(
                RpcCode::UnknownContract.err(format!("no contract {id} at height {height}"))
            );
        }
        let entries = view.storage_entries(&id).map_err(internal)?;
        Ok::<Value, ErrorObjectOwned>(json!({
            "height": height,
            "contract": id.to_string(),
            "total": entries.len(),
            "keys": entries.iter().take(MAX_STORAGE_KEYS).map(|e| json!({
                "key": hex::encode(&e.key),
                "size": e.value_len,
            })).collect::<Vec<_>>(),
        }))
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{SCRIPTS, asset};

    #[test]
    fn pages_and_assets_are_served_and_nothing_else() {
        assert!(asset("/").is_some());
        assert!(asset("/block/12").is_some());
        assert!(asset("/tx/00ff").is_some());
        assert!(asset("/assets/app.js").is_some());
        assert!(asset("/assets/nope.js").is_none());
        assert!(asset("/rpc").is_none());
        assert!(asset("/blockchain").is_none());
    }

    #[test]
    fn every_module_and_its_imports_are_served_as_javascript() {
        let js = Some("text/javascript; charset=utf-8");
        for (path, source) in SCRIPTS {
            assert_eq!(asset(path).map(|(t, _)| t), js, "{path}");
            let file = path.strip_prefix("/assets/").unwrap();
            assert!(
                source.starts_with(&format!("// {file} — ")),
                "{path} opens with a comment saying what it is for"
            );
            let dir = &path[..path.rfind('/').unwrap()];
            for line in source.lines().filter(|l| l.starts_with("import ")) {
                let spec = line.split('\'').nth(1).expect("import '…'");
                let mut target = dir.to_string();
                for part in spec.split('/') {
                    match part {
                        "." => {}
                        ".." => target.truncate(target.rfind('/').unwrap()),
                        _ => target = format!("{target}/{part}"),
                    }
                }
                assert_eq!(asset(&target).map(|(t, _)| t), js, "{path} imports {spec}");
            }
        }
    }
}
