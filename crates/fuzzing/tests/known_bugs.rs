//! Bugs found while fuzzing, in files this crate does not own, each as a test of the *fixed*
//! behaviour. Ignored until fixed (run them with `cargo test -p shortcrust-fuzzing --test
//! known_bugs -- --ignored`); when one passes, un-ignore it (it stays as a regression test), move
//! its input into the corpus and delete its entry in `src/known_issues.rs`, which lets the fuzz
//! targets go on past it.
//!
//! Tests whose failure is a crash (stack overflow, exhausted memory) run their body in a child
//! process, so that they fail instead of taking the test binary down.

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::Command;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use shortcrust_sdk::schema::{Schema, Type, decode_exact};
use shortcrust_vm::{DeployError, ModuleLimits, validate};

/// Bytes allocated and not freed, by anything in this test binary.
static NET_ALLOCATED: AtomicIsize = AtomicIsize::new(0);

/// The system allocator, counting [`NET_ALLOCATED`].
struct Counting;

// SAFETY: every call is forwarded to `System` with the caller's own arguments.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        NET_ALLOCATED.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        NET_ALLOCATED.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        NET_ALLOCATED.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: forwarded as is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs test `name`'s body (`body`) in a child process when not already in one, and asserts
/// that the child succeeded within `limit`.
fn in_child(name: &str, limit: Duration, body: impl FnOnce()) {
    if std::env::var_os("KNOWN_BUG_CHILD").is_some() {
        body();
        return;
    }
    let exe = std::env::current_exe().expect("the test binary");
    let start = Instant::now();
    let mut child = Command::new(exe)
        .args([
            name,
            "--exact",
            "--include-ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("KNOWN_BUG_CHILD", "1")
        .spawn()
        .expect("run the test in a child process");
    loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            assert!(status.success(), "{name}: the child failed ({status})");
            return;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{name}: still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Found by `smith_run` at its first input, fixed in b566b2f: `validate::features()` enabled
/// wasmparser's `GC_TYPES`, so the validator accepted `externref` that wasmtime (built without
/// GC) then refused to compile (`DeployError::Compile`). The validator must refuse it itself.
#[test]
fn externref_is_refused_by_the_validator() {
    for text in [
        r#"(module (memory (export "memory") 1) (func (export "run") (drop (ref.null extern))))"#,
        r#"(module (memory (export "memory") 1) (table 1 externref))"#,
        r#"(module (memory (export "memory") 1) (global externref (ref.null extern)))"#,
        r#"(module (memory (export "memory") 1) (func (export "run") (local externref)))"#,
    ] {
        let code = wat::parse_str(text).expect("WAT");
        let verdict = validate::validate(&code, &ModuleLimits::default(), 1);
        assert!(
            matches!(verdict, Err(DeployError::Invalid(_))),
            "{text}: {:?}",
            verdict.map(|_| ())
        );
    }
}

/// `src/known_issues.rs`, `malformed_name_section_refused`: a module with a malformed `name`
/// section (custom sections never make a module invalid) is deployed, or else refused by the
/// validator itself: never accepted by the validator and then refused by the instrumenter.
#[test]
fn malformed_name_section_is_handled_like_the_validator_does() {
    for text in [
        r#"(module (memory (export "memory") 1) (func (export "run")) (@custom "name" "\ff"))"#,
        r#"(module (memory (export "memory") 1) (func (export "run")) (@custom "name" "\01\02\01"))"#,
    ] {
        let code = wat::parse_str(text).expect("WAT");
        let validated = validate::validate(&code, &ModuleLimits::default(), 1);
        let vm = shortcrust_vm::Vm::ephemeral().expect("a VM");
        let mut session = vm.session(Default::default()).expect("a session");
        let deployed = session.deploy(&code, Default::default());
        assert_eq!(
            validated.as_ref().err(),
            deployed.as_ref().err(),
            "{text}: the validator and the deploy disagree"
        );
    }
}

/// `src/known_issues.rs`, `deep_type_overflows_the_stack`: a deeply nested type is an error (or
/// a type), never a stack overflow.
#[test]
fn deeply_nested_type_is_not_a_crash() {
    in_child(
        "deeply_nested_type_is_not_a_crash",
        Duration::from_secs(60),
        || {
            let depth = 1_000_000;
            let _ = Type::parse(&"(".repeat(depth));
            let _ = Type::parse(&format!("{}u8{}", "Vec<".repeat(depth), ">".repeat(depth)));
            let schema = format!(
                r#"{{"schema_version":1,"entry_points":[{{"name":"f","args":[],"returns":"{}"}}]}}"#,
                "[".repeat(depth)
            );
            let _ = Schema::parse(&schema);
        },
    );
}

/// `src/known_issues.rs`, `zero_sized_sequence`: decoding a few bytes takes a few bytes' worth
/// of time and memory, whatever the type.
#[test]
fn zero_sized_sequences_decode_in_bounded_time() {
    in_child(
        "zero_sized_sequences_decode_in_bounded_time",
        // Short: the unfixed loop allocates about 400 MiB a second.
        Duration::from_secs(2),
        || {
            let unit_vec = Type::parse("Vec<()>").expect("type");
            let _ = decode_exact(&unit_vec, &[0x00, 0x00, 0x00, 0x10]);
            let unit_array = Type::parse("[(); 18446744073709551615]").expect("type");
            let _ = decode_exact(&unit_array, &[]);
        },
    );
}

/// Found by `host_function`'s first input under LeakSanitizer, fixed by the patched dusk-plonk
/// and merlin in `vendor/` (see its README).
/// dusk-plonk's `transcript_label_static` (`transcript.rs`) turns the transcript label into a
/// `&'static [u8]` for merlin with `Box::leak`; without dusk-plonk's `std` feature (the crypto
/// crate builds it with `default-features = false, features = ["alloc"]`) it leaks a fresh copy
/// at every verification (twice: two transcripts), and with `std` it still leaks once per distinct
/// label. The label is part of `verify_plonk`'s contract-supplied verifier data (any length the
/// module and input limits allow), so contracts make the node's memory grow without bound:
/// about 2 × the label's length per `verify_plonk` that reaches the transcript.
#[test]
fn plonk_verification_keeps_no_memory() {
    in_child(
        "plonk_verification_keeps_no_memory",
        Duration::from_secs(120),
        || {
            use shortcrust_crypto::plonk;
            let fixture = plonk::testkit::fixture(1, 1);
            // The same verification with another label (of `len` bytes, the first byte `tag`):
            // well-formed, so it reaches the transcript, and no longer verifies.
            let with_label = |tag: u8, len: usize| -> Vec<u8> {
                let vd = &fixture.verifier_data;
                let old_len = u64::from_be_bytes(vd[..8].try_into().expect("8 bytes")) as usize;
                let mut out = (len as u64).to_be_bytes().to_vec();
                out.extend_from_slice(&vd[8..plonk::HEADER_LEN]);
                let mut label = vec![b'x'; len];
                label[0] = tag;
                out.extend_from_slice(&label);
                out.extend_from_slice(&vd[plonk::HEADER_LEN + old_len..]);
                out
            };
            let verify = |vd: &[u8]| {
                plonk::verify_plonk_uncached(vd, &fixture.proof, &fixture.public_inputs)
            };
            let original = fixture.verifier_data.clone();
            assert_eq!(verify(&original), 1);
            assert_eq!(verify(&with_label(1, 4096)), 0);

            let before = NET_ALLOCATED.load(Ordering::Relaxed);
            for _ in 0..100 {
                verify(&original);
            }
            let same_label = NET_ALLOCATED.load(Ordering::Relaxed) - before;
            let before = NET_ALLOCATED.load(Ordering::Relaxed);
            for tag in 0..64 {
                verify(&with_label(tag, 4096));
            }
            let distinct_labels = NET_ALLOCATED.load(Ordering::Relaxed) - before;
            assert!(
                same_label < 1024 && distinct_labels < 16 * 1024,
                "memory kept: {same_label} bytes after 100 verifications with one label, \
                 {distinct_labels} bytes after 64 verifications with distinct 4 KiB labels"
            );
        },
    );
}
