//! Writes the hand-made part of the seed corpus, `fuzz/corpus/<target>/seed-*`:
//!
//! ```text
//! cargo test -p shortcrust-fuzzing --test seeds -- --ignored
//! ```
//!
//! Ignored by default: the corpus is committed, and `tests/replay.rs` replays it. Rerun it when
//! the example contracts or the ABI change; it rewrites only the `seed-*` files (inputs the
//! fuzzer found have hash names and are left alone).
//!
//! - `deploy_bytes`: every example contract, WAT modules around each deploy-time rule (accepted
//!   and refused), and a few byte strings;
//! - `smith_run`: pseudo-random byte strings that generate modules of various shapes;
//! - `host_function`: per cryptographic host function, valid inputs (RFC 8032, BIP-340 and
//!   Ethereum BLS vectors, PLONK and Groth16 verifications from the crypto testkit, snarkjs'
//!   multiplier) and well-sized invalid ones;
//! - `schema_json`: the schema of every example contract with arguments (raw mode), and
//!   pseudo-random byte strings (structured mode).

use std::path::{Path, PathBuf};

use serde_json::Value;
use shortcrust_crypto::{groth16, plonk};
use shortcrust_fuzzing::host_function::encode_input;
use shortcrust_sdk::schema::{Schema, from_hex};

fn corpus(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target)
}

/// Clears `target`'s `seed-*` files and writes `seeds` as `seed-<name>`.
fn write(target: &str, seeds: &[(String, Vec<u8>)]) {
    let dir = corpus(target);
    std::fs::create_dir_all(&dir).expect("create the corpus directory");
    for entry in std::fs::read_dir(&dir).expect("read the corpus directory") {
        let path = entry.expect("directory entry").path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.starts_with("seed-") {
            std::fs::remove_file(&path).expect("remove an old seed");
        }
    }
    for (name, data) in seeds {
        assert!(data.len() <= 64 * 1024, "seed {name} is too large");
        std::fs::write(dir.join(format!("seed-{name}")), data).expect("write a seed");
    }
}

/// Deterministic pseudo-random bytes (xorshift64*).
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..len)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
        })
        .collect()
}

fn wasm(text: &str) -> Vec<u8> {
    wat::parse_str(text).unwrap_or_else(|e| panic!("seed WAT does not parse: {e}\n{text}"))
}

/// WAT modules, each around one deploy-time rule of `validate.rs`.
const WAT_MODULES: &[(&str, &str)] = &[
    (
        "minimal",
        r#"(module (memory (export "memory") 1) (func (export "run")))"#,
    ),
    (
        "echo",
        r#"(module
            (import "shortcrust_v1" "input_len" (func $input_len (result i32)))
            (import "shortcrust_v1" "input_read" (func $input_read (param i32)))
            (import "shortcrust_v1" "output_write" (func $output_write (param i32 i32)))
            (memory (export "memory") 1 4)
            (func $start (drop (memory.grow (i32.const 1))))
            (start $start)
            (func (export "echo")
                (call $input_read (i32.const 16))
                (call $output_write (i32.const 16) (call $input_len)))
            (data (i32.const 0) "shortcrust"))"#,
    ),
    (
        "storage",
        r#"(module
            (import "shortcrust_v1" "storage_write" (func $write (param i32 i32 i32 i32)))
            (import "shortcrust_v1" "storage_read" (func $read (param i32 i32 i32 i32) (result i32)))
            (import "shortcrust_v1" "emit" (func $emit (param i32 i32 i32 i32)))
            (memory (export "memory") 1)
            (func (export "put")
                (call $write (i32.const 0) (i32.const 3) (i32.const 8) (i32.const 5))
                (call $emit (i32.const 0) (i32.const 3) (i32.const 8) (i32.const 5)))
            (func (export "get")
                (drop (call $read (i32.const 0) (i32.const 3) (i32.const 64) (i32.const 16))))
            (data (i32.const 0) "key")
            (data (i32.const 8) "value"))"#,
    ),
    (
        "table",
        r#"(module
            (type $t (func (result i32)))
            (table 2 funcref)
            (elem (i32.const 0) $a $b)
            (memory (export "memory") 1)
            (global $g (mut i32) (i32.add (i32.const 1) (i32.const 2)))
            (func $a (result i32) (i32.const 1))
            (func $b (result i32) (global.get $g))
            (func (export "run") (global.set $g (call_indirect (type $t) (i32.const 1))))
            (func (export "trap") (drop (call_indirect (type $t) (i32.const 5)))))"#,
    ),
    (
        "recursion",
        r#"(module
            (memory (export "memory") 1)
            (func $r (param i64) (local i64 i64 i64) (call $r (local.get 0)))
            (func (export "run") (call $r (i64.const 0)))
            (func (export "spin") (loop (br 0))))"#,
    ),
    (
        "wide-arithmetic",
        r#"(module
            (memory (export "memory") 1)
            (func (export "run")
                (i64.add128 (i64.const -1) (i64.const -1) (i64.const 1) (i64.const 0))
                (drop) (drop)
                (i64.mul_wide_u (i64.const -1) (i64.const -1))
                (drop) (drop)))"#,
    ),
    (
        "schema",
        r#"(module
            (memory (export "memory") 1)
            (func (export "get"))
            (@custom "shortcrust-schema" "{\"schema_version\":1,\"entry_points\":[{\"name\":\"get\",\"args\":[],\"returns\":\"u64\"}]}"))"#,
    ),
    (
        "bad-signature",
        r#"(module (import "shortcrust_v1" "input_len" (func (result i64)))
            (memory (export "memory") 1))"#,
    ),
    (
        "unknown-import",
        r#"(module (import "env" "abort" (func)) (memory (export "memory") 1))"#,
    ),
    (
        "imported-memory",
        r#"(module (import "shortcrust_v1" "memory" (memory 1)) (export "memory" (memory 0)))"#,
    ),
    ("no-memory", r#"(module (memory 1) (func (export "run")))"#),
    (
        "reserved-export",
        r#"(module (memory (export "memory") 1) (func (export "__shortcrust_stack_height")))"#,
    ),
    (
        "too-many-pages",
        r#"(module (memory (export "memory") 257))"#,
    ),
    (
        "big-table",
        r#"(module (memory (export "memory") 1) (table 20000 funcref))"#,
    ),
    (
        "simd",
        r#"(module (memory (export "memory") 1)
            (func (export "run") (drop (v128.const i64x2 0 0))))"#,
    ),
    (
        "tail-call",
        r#"(module (memory (export "memory") 1) (func $f (return_call $f)) (export "run" (func $f)))"#,
    ),
    (
        "multi-memory",
        r#"(module (memory (export "memory") 1) (memory 1))"#,
    ),
    ("memory64", r#"(module (memory (export "memory") i64 1))"#),
    (
        "externref",
        r#"(module (memory (export "memory") 1) (func (export "run") (local externref)))"#,
    ),
    (
        "shared-memory",
        r#"(module (memory (export "memory") 1 1 shared))"#,
    ),
];

#[test]
#[ignore = "writes fuzz/corpus; run by hand"]
fn write_seed_corpus() {
    deploy_bytes();
    smith_run();
    host_function();
    schema_json();
}

fn deploy_bytes() {
    let mut seeds: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, code) in shortcrust_test_contracts::ALL {
        seeds.push((format!("contract-{name}.wasm"), code.to_vec()));
    }
    for (name, text) in WAT_MODULES {
        seeds.push((format!("wat-{name}.wasm"), wasm(text)));
    }
    let counter = shortcrust_test_contracts::COUNTER;
    seeds.push(("bytes-empty".into(), Vec::new()));
    seeds.push(("bytes-magic".into(), b"\0asm".to_vec()));
    seeds.push(("bytes-empty-module".into(), b"\0asm\x01\0\0\0".to_vec()));
    seeds.push(("bytes-component".into(), b"\0asm\x0d\0\x01\0".to_vec()));
    seeds.push((
        "bytes-truncated-counter".into(),
        counter[..counter.len() / 2].to_vec(),
    ));
    seeds.push(("bytes-noise".into(), noise(1, 512)));
    write("deploy_bytes", &seeds);
}

fn smith_run() {
    // Inputs whose module deploys (no `externref`, which ABI v1 refuses), of growing sizes.
    let mut seeds = Vec::new();
    let vm = shortcrust_vm::Vm::ephemeral().expect("a VM");
    let mut candidate = 1000u64;
    for len in [128, 256, 512, 1024, 2048, 4096, 4096, 8192] {
        loop {
            candidate += 1;
            let data = noise(candidate, len);
            let mut u = arbitrary::Unstructured::new(&data);
            let Ok(module) = shortcrust_fuzzing::smith::smith_module(&mut u) else {
                continue;
            };
            if shortcrust_fuzzing::smith::uses_externref(&module.wasm) {
                continue;
            }
            let mut session = vm.session(Default::default()).expect("a session");
            if session.deploy(&module.wasm, Default::default()).is_ok() {
                seeds.push((format!("noise-{candidate}-{len}"), data));
                break;
            }
        }
    }
    write("smith_run", &seeds);
}

fn read(path: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crypto/testdata")
        .join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(path: &str) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn hex(value: &Value) -> Vec<u8> {
    from_hex(value.as_str().expect("a hex string")).expect("hex")
}

fn host_function() {
    let mut seeds: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |name: String, function: &str, ints: &[i8], bytes: &[&[u8]]| {
        seeds.push((name, encode_input(function, ints, bytes)));
    };

    for f in ["blake2b_256", "sha256", "keccak256", "hash_to_scalar"] {
        add(format!("{f}-empty"), f, &[], &[b""]);
        add(format!("{f}-abc"), f, &[], &[b"abc"]);
        add(format!("{f}-1000"), f, &[], &[&noise(2, 1000)]);
    }

    // Poseidon: canonical scalars (small integers), a non-canonical one, too many.
    let scalars_le = |values: &[u8]| -> Vec<u8> {
        values
            .iter()
            .flat_map(|v| {
                let mut s = [0u8; 32];
                s[0] = *v;
                s
            })
            .collect()
    };
    add(
        "poseidon_hash-1".into(),
        "poseidon_hash",
        &[],
        &[&scalars_le(&[1])],
    );
    add(
        "poseidon_hash-3".into(),
        "poseidon_hash",
        &[],
        &[&scalars_le(&[1, 2, 3])],
    );
    add(
        "poseidon_hash-64".into(),
        "poseidon_hash",
        &[],
        &[&scalars_le(&[7; 64])],
    );
    add(
        "poseidon_hash-65".into(),
        "poseidon_hash",
        &[],
        &[&scalars_le(&[7; 65])],
    );
    add(
        "poseidon_hash-above-modulus".into(),
        "poseidon_hash",
        &[],
        &[&[0xff; 32]],
    );
    add(
        "poseidon_hash-33-bytes".into(),
        "poseidon_hash",
        &[],
        &[&[1; 33]],
    );
    let known = json("circomlib-poseidon/known_answers.json");
    for (i, case) in known["cases"].as_array().expect("cases").iter().enumerate() {
        if i % 4 != 0 && i != 12 {
            continue;
        }
        let input: Vec<u8> = case["inputs_be_hex"]
            .as_array()
            .expect("inputs")
            .iter()
            .flat_map(|x| from_hex(x.as_str().expect("hex")).expect("hex"))
            .collect();
        add(
            format!("poseidon_bn254-case-{i}"),
            "poseidon_bn254",
            &[],
            &[&input],
        );
    }
    add(
        "poseidon_bn254-above-modulus".into(),
        "poseidon_bn254",
        &[],
        &[&[0xff; 32]],
    );

    // PLONK and Groth16: valid verifications, and the same with a wrong public input.
    let p = plonk::testkit::fixture(1, 1);
    add(
        "verify_plonk-valid-1".into(),
        "verify_plonk",
        &[],
        &[&p.verifier_data, &p.proof, &p.public_inputs],
    );
    let mut wrong = p.public_inputs.clone();
    wrong[0] ^= 1;
    add(
        "verify_plonk-wrong-input".into(),
        "verify_plonk",
        &[],
        &[&p.verifier_data, &p.proof, &wrong],
    );
    let p = plonk::testkit::fixture(2, 3);
    add(
        "verify_plonk-valid-3".into(),
        "verify_plonk",
        &[],
        &[&p.verifier_data, &p.proof, &p.public_inputs],
    );
    let g = groth16::testkit::snarkjs_multiplier();
    add(
        "verify_groth16_bn254-snarkjs".into(),
        "verify_groth16_bn254",
        &[],
        &[&g.verifying_key, &g.proof, &g.public_inputs],
    );
    let g = groth16::testkit::fixture(1, 2);
    add(
        "verify_groth16_bn254-valid-2".into(),
        "verify_groth16_bn254",
        &[],
        &[&g.verifying_key, &g.proof, &g.public_inputs],
    );
    let mut wrong = g.public_inputs.clone();
    wrong[31] ^= 1;
    add(
        "verify_groth16_bn254-wrong-input".into(),
        "verify_groth16_bn254",
        &[],
        &[&g.verifying_key, &g.proof, &wrong],
    );

    // Schnorr over JubJub: right lengths, arbitrary bytes.
    add(
        "verify_schnorr-zeros".into(),
        "verify_schnorr",
        &[],
        &[&[0; 32], &[0; 32], &[0; 64]],
    );
    add(
        "verify_schnorr-noise".into(),
        "verify_schnorr",
        &[],
        &[&noise(3, 32), &noise(4, 32), &noise(5, 64)],
    );

    // BIP-340: the BIP's vectors (valid and invalid).
    for line in read("bip340/test-vectors.csv").lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let (index, pk, msg, sig) = (fields[0], fields[2], fields[4], fields[5]);
        let (Some(pk), Some(msg), Some(sig)) = (from_hex(pk), from_hex(msg), from_hex(sig)) else {
            continue;
        };
        add(
            format!("verify_bip340-vector-{index}"),
            "verify_bip340",
            &[],
            &[&pk, &msg, &sig],
        );
    }

    // Ed25519: RFC 8032's vectors, and one with a flipped signature bit.
    for (i, case) in json("rfc8032/ed25519_tests.json")
        .as_array()
        .expect("cases")
        .iter()
        .enumerate()
    {
        let (pk, msg, mut sig) = (
            hex(&case["pubkey"]),
            hex(&case["message"]),
            hex(&case["signature"]),
        );
        add(
            format!("verify_ed25519-rfc8032-{i}"),
            "verify_ed25519",
            &[],
            &[&pk, &msg, &sig],
        );
        if i == 0 {
            sig[0] ^= 1;
            add(
                "verify_ed25519-tampered".into(),
                "verify_ed25519",
                &[],
                &[&pk, &msg, &sig],
            );
        }
    }

    // BLS: Ethereum's vectors for IETF, the same points swapped for Dusk (a G2 key and a G1
    // signature: well-formed, not verifying), proofs of possession.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crypto/testdata/ethereum-bls");
    let files = |sub: &str| -> Vec<(String, Value)> {
        let mut out: Vec<(String, Value)> = std::fs::read_dir(dir.join(sub))
            .expect("vector directory")
            .map(|e| e.expect("entry").path())
            .map(|p| {
                let name = p
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                (
                    name,
                    json(&format!(
                        "ethereum-bls/{sub}/{}",
                        p.file_name().unwrap_or_default().to_string_lossy()
                    )),
                )
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out.into_iter().step_by(3).collect()
    };
    let ietf = shortcrust_abi::bls_scheme::IETF_MIN_PK_POP as i8;
    let dusk = shortcrust_abi::bls_scheme::DUSK_MIN_SIG as i8;
    let pop = shortcrust_abi::bls_scheme::IETF_POP_PROOF as i8;
    for (name, case) in files("verify") {
        let input = &case["input"];
        let (pk, msg, sig) = (
            hex(&input["pubkey"]),
            hex(&input["message"]),
            hex(&input["signature"]),
        );
        add(
            format!("verify_bls-ietf-{name}"),
            "verify_bls",
            &[ietf],
            &[&pk, &msg, &sig],
        );
        add(
            format!("verify_bls-dusk-{name}"),
            "verify_bls",
            &[dusk],
            &[&sig, &msg, &pk],
        );
        add(
            format!("verify_bls-pop-{name}"),
            "verify_bls",
            &[pop],
            &[&pk, b"", &sig],
        );
    }
    let fast = shortcrust_abi::bls_aggregate_mode::FAST as i8;
    let distinct = shortcrust_abi::bls_aggregate_mode::DISTINCT as i8;
    for (name, case) in files("fast_aggregate_verify") {
        let input = &case["input"];
        let pks: Vec<u8> = input["pubkeys"]
            .as_array()
            .expect("keys")
            .iter()
            .flat_map(hex)
            .collect();
        let (msg, sig) = (hex(&input["message"]), hex(&input["signature"]));
        add(
            format!("verify_bls_aggregate-fast-{name}"),
            "verify_bls_aggregate",
            &[ietf, fast],
            &[&pks, &msg, &sig],
        );
    }
    for (name, case) in files("aggregate_verify") {
        let input = &case["input"];
        let pks: Vec<u8> = input["pubkeys"]
            .as_array()
            .expect("keys")
            .iter()
            .flat_map(hex)
            .collect();
        let mut msgs = Vec::new();
        for m in input["messages"].as_array().expect("messages") {
            let m = hex(m);
            msgs.extend_from_slice(&(m.len() as u32).to_le_bytes());
            msgs.extend_from_slice(&m);
        }
        let sig = hex(&input["signature"]);
        add(
            format!("verify_bls_aggregate-distinct-{name}"),
            "verify_bls_aggregate",
            &[ietf, distinct],
            &[&pks, &msgs, &sig],
        );
    }
    write("host_function", &seeds);
}

fn schema_json() {
    let mut seeds: Vec<(String, Vec<u8>)> = Vec::new();
    let limits = shortcrust_vm::ModuleLimits::default();
    for (name, code) in shortcrust_test_contracts::ALL {
        let info = shortcrust_vm::validate::validate(
            code,
            &limits,
            shortcrust_abi::LATEST_PROTOCOL_VERSION,
        )
        .expect("example contracts validate");
        let Some(schema_bytes) = info.schema else {
            continue;
        };
        let text = String::from_utf8(schema_bytes.clone()).expect("schema is UTF-8");
        let schema = Schema::parse(&text).expect("example schemas parse");
        // One seed per contract: its schema, then arguments for the entry point with the most
        // arguments, as an array of zero-ish values.
        let Some(entry) = schema.entry_points.iter().max_by_key(|e| e.args.len()) else {
            continue;
        };
        let args: Vec<Value> = entry.args.iter().map(|a| zero(&a.ty)).collect();
        let mut data = vec![1u8];
        data.extend_from_slice(&schema_bytes);
        data.push(0);
        data.extend_from_slice(Value::Array(args).to_string().as_bytes());
        data.push(0);
        data.extend_from_slice(&[1, 0, 0, 0, 0, 0, 0, 0]);
        seeds.push((format!("contract-{name}"), data));
    }
    for i in 0..6u64 {
        let mut data = noise(200 + i, 512);
        data[0] &= !1; // structured mode
        seeds.push((format!("structured-{i}"), data));
    }
    write("schema_json", &seeds);
}

/// A JSON value of `ty` made of zeros, empty strings and empty sequences.
fn zero(ty: &shortcrust_sdk::schema::Type) -> Value {
    use shortcrust_sdk::schema::Type;
    match ty {
        Type::Bool => Value::Bool(false),
        Type::String => Value::String(String::new()),
        Type::Vec(t) if **t == Type::U8 => Value::String("0x".into()),
        Type::Vec(_) => Value::Array(Vec::new()),
        Type::Array(t, n) if **t == Type::U8 => Value::String("00".repeat(*n)),
        Type::Array(t, n) => Value::Array(vec![zero(t); *n]),
        Type::Option(_) => Value::Null,
        Type::Tuple(items) if items.is_empty() => Value::Null,
        Type::Tuple(items) => Value::Array(items.iter().map(zero).collect()),
        Type::Result(ok, _) => serde_json::json!({ "Ok": zero(ok) }),
        Type::Opaque(_) => Value::String(String::new()),
        _ => Value::from(0),
    }
}
