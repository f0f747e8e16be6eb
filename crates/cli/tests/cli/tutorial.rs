//! The README's tutorial, command for command, so that it cannot rot: the fenced block after
//! the `<!-- tutorial: ... -->` marker is run line by line in a fresh directory (`shortcrust`
//! is this build's binary; `export CONTRACT=...` takes the id the preceding `deploy` printed).
//! Then the reproducible build: the same crate copied to another path builds to the same hash.

use std::path::Path;
use std::process::Command;

/// The tutorial's commands, from the README.
fn tutorial_lines() -> Vec<String> {
    let readme = include_str!("../../../../README.md");
    let start = readme
        .find("<!-- tutorial:")
        .expect("the README has a tutorial marker");
    let block = &readme[start..];
    let open = block.find("```sh\n").expect("a fenced sh block") + "```sh\n".len();
    let close = block[open..].find("```").expect("the block ends") + open;
    block[open..close]
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Splits a command line like a shell: whitespace separates words, single quotes group.
fn words(line: &str) -> Vec<String> {
    let (mut out, mut word, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

fn run(dir: &Path, args: &[String]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_shortcrust"))
        .args(args)
        .current_dir(dir)
        .env_remove("SHORTCRUST_STATE")
        .output()
        .expect("the binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn the_readme_tutorial_works_as_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lines = tutorial_lines();
    assert!(lines.len() >= 6, "{lines:?}");
    let (mut contract, mut last_deploy, mut outputs) = (None, String::new(), Vec::new());
    for line in &lines {
        if let Some(rest) = line.strip_prefix("export CONTRACT=") {
            assert!(
                rest.starts_with('<'),
                "the README says where the id comes from: {line}"
            );
            let id = last_deploy
                .lines()
                .find_map(|l| l.strip_prefix("contract"))
                .map(|l| l.trim().to_string())
                .expect("deploy printed the contract id");
            contract = Some(id);
            continue;
        }
        let mut args = words(line);
        assert_eq!(args.remove(0), "shortcrust", "{line}");
        for a in &mut args {
            if a == "$CONTRACT" {
                *a = contract.clone().expect("CONTRACT is set before use");
            }
        }
        let (ok, text) = run(dir.path(), &args);
        assert!(ok, "`{line}` failed:\n{text}");
        if args.first().map(String::as_str) == Some("deploy") {
            last_deploy = text.clone();
        }
        outputs.push((line.clone(), text));
    }
    let find = |needle: &str| {
        outputs
            .iter()
            .find(|(l, _)| l.contains(needle))
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    };
    assert!(find("build hello").contains("code hash"));
    let greet = find(r#"greet '["world"]'"#);
    assert!(greet.contains("\"Hello, world!\""), "{greet}");
    assert!(
        greet.contains("greeted {\"count\":1,\"who\":\"world\"}"),
        "{greet}"
    );
    let traced = find("--trace");
    assert!(
        traced.contains("::greet") && traced.contains("storage_write ×1"),
        "{traced}"
    );
    let svg = std::fs::read_to_string(dir.path().join("greet.svg")).expect("the flame graph");
    assert!(svg.trim_end().ends_with("</svg>"));
    let count = find("query");
    assert!(
        count
            .lines()
            .any(|l| l.starts_with("decoded") && l.trim_end().ends_with(" 2")),
        "{count}"
    );

    // The same crate from another path builds to the same bytes.
    let hash = |text: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix("code hash"))
            .map(|h| h.trim().to_string())
            .expect("a code hash")
    };
    let first = hash(&find("build hello"));
    let elsewhere = dir.path().join("some").join("other").join("place");
    std::fs::create_dir_all(&elsewhere).expect("dir");
    let copy = elsewhere.join("hello");
    std::fs::create_dir_all(copy.join("src")).expect("dir");
    for file in ["Cargo.toml", "Cargo.lock", "src/lib.rs"] {
        std::fs::copy(dir.path().join("hello").join(file), copy.join(file)).expect("copy");
    }
    let (ok, text) = run(&elsewhere, &["build".to_string(), "hello".to_string()]);
    assert!(ok, "{text}");
    assert_eq!(hash(&text), first, "the build depends on the crate's path");
}
