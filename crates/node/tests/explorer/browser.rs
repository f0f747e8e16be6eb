//! chromedriver, one headless Chromium session, and waiting helpers.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};

/// Where chromedriver and Chromium are (overridable with `CHROMEDRIVER` / `CHROMIUM`).
fn paths() -> (PathBuf, PathBuf) {
    let driver =
        std::env::var_os("CHROMEDRIVER").map_or("/usr/bin/chromedriver".into(), PathBuf::from);
    let chromium = std::env::var_os("CHROMIUM").map_or("/usr/bin/chromium".into(), PathBuf::from);
    (driver, chromium)
}

/// A chromedriver process and a browser session on it.
pub struct Browser {
    pub client: Client,
    driver: Child,
}

impl Browser {
    /// Starts chromedriver on a free loopback port and opens a headless session.
    pub async fn start() -> Browser {
        let (driver_path, chromium) = paths();
        assert!(
            driver_path.exists() && chromium.exists(),
            "the explorer's browser tests need Chromium and chromedriver ({} and {}): install \
             them with `sudo apt-get install -y chromium chromium-driver` (Debian), or point \
             CHROMEDRIVER and CHROMIUM at them",
            driver_path.display(),
            chromium.display()
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver_path.display()));
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let start = Instant::now();
        while TcpStream::connect(addr).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chromedriver did not listen"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,1000", "--no-first-run", "--disable-extensions",
                         "--lang=en-US"],
            },
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://{addr}"))
            .await
            .expect("a Chromium session through chromedriver");
        Browser { client, driver }
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }

    /// Runs `script` (a function body; `arguments` are `args`) in the page.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// The text of the first element matching `css`, or `None`.
    pub async fn text(&self, css: &str) -> Option<String> {
        self.js(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
            vec![json!(css)],
        )
        .await
        .as_str()
        .map(str::to_string)
    }

    /// Waits until the element `css` exists and its text contains `needle`; returns its text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let text = self.text(css).await;
            if let Some(t) = &text
                && t.contains(needle)
            {
                return t.clone();
            }
            if start.elapsed() > Duration::from_secs(20) {
                let url = self
                    .client
                    .current_url()
                    .await
                    .map(|u| u.to_string())
                    .unwrap_or_default();
                let main = self.text("main").await.unwrap_or_default();
                panic!(
                    "at {url}: `{css}` never contained {needle:?}; it has {text:?}\nmain: {main}"
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Opens `url` and waits for the page to be rendered (its `main` not busy, an `h1`).
    pub async fn open(&self, url: &str) {
        self.client.goto(url).await.expect("navigates");
        self.settled().await;
    }

    /// Waits for the current render to finish.
    pub async fn settled(&self) {
        let start = Instant::now();
        loop {
            let done = self
                .js(
                    "const m = document.querySelector('main'); \
                     return !!m && !m.hasAttribute('aria-busy') && !!m.querySelector('h1') \
                       && !/^(Searching|Loading)/.test(m.querySelector('h1').textContent);",
                    vec![],
                )
                .await;
            if done == json!(true) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the page never settled"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The path (and query) of the current page.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("url");
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// Waits until the current path starts with `prefix`.
    pub async fn wait_path(&self, prefix: &str) {
        let start = Instant::now();
        while !self.path().await.starts_with(prefix) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "never reached {prefix}: at {}",
                self.path().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.settled().await;
    }

    /// Saves a PNG of the viewport under `target/explorer-screenshots/NAME.png`.
    /// The window grows to the page's height first (up to 4,000 px), so the shot shows the
    /// whole page.
    pub async fn screenshot(&self, name: &str) {
        let (width, height) = self.client.get_window_size().await.expect("window size");
        let page = self
            .js("return document.documentElement.scrollHeight;", vec![])
            .await
            .as_u64()
            .unwrap_or(height);
        let tall = page.clamp(height, 4000) as u32 + 120;
        self.client
            .set_window_size(width as u32, tall)
            .await
            .expect("resize");
        let png = self.client.screenshot().await.expect("screenshot");
        self.client
            .set_window_size(width as u32, height as u32)
            .await
            .expect("resize back");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("screenshot written");
    }
}

/// `$CARGO_TARGET_DIR/explorer-screenshots`, or the workspace's `target/explorer-screenshots`.
pub fn screenshot_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
        .join("explorer-screenshots")
}
