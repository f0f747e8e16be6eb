//! The block explorer in a real browser: headless Chromium driven through WebDriver
//! (chromedriver) against a dev node started in this process.
//!
//! - `browser`: starts `chromedriver` (Debian `chromium` + `chromium-driver`; the test FAILS with
//!   instructions when it is missing) and one session, with helpers that wait for text;
//! - `pages`: deploys the token, counter and caller contracts, sends transactions (one failing in
//!   a nested call), then walks every page, checks what it shows, runs a query from the contract
//!   form, searches, follows the failing transaction to its revert path, checks a proof, and
//!   saves a screenshot of each page under `target/explorer-screenshots/`.

#[path = "../node/support.rs"]
#[allow(dead_code)]
mod support;

mod browser;
mod pages;
