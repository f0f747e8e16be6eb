//! The adversarial corpus, arguments: every length one past its limit and exactly at it, and
//! out-of-bounds pointers that must reach the bounds check.

use super::*;

// ---- 8. oversized arguments ---------------------------------------------------------------------

fn revert_long_message() -> String {
    "0123456789".repeat(200)
}

/// 1023 ASCII bytes, then a two-byte character straddling the 1024-byte limit, then more.
fn revert_straddling_message() -> Vec<u8> {
    let mut m = vec![b'a'; MAX_REVERT_LEN as usize - 1];
    m.extend("é".as_bytes());
    m.extend(vec![b'b'; 500]);
    m
}

fn wat_bytes(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("\\{b:02x}")).collect()
}

/// Every entry first makes a valid write (which the failure must roll back), then one oversized
/// request. Five pages: every pointer range below is in bounds, so only the limit can fail it.
fn oversized_wat() -> String {
    let name = "n".repeat(MAX_ENTRY_NAME_LEN as usize);
    format!(
        r#"(module {IMPORTS}
  (memory (export "memory") 5)
  (data (i32.const 4096) "{long}")
  (data (i32.const 8192) "{straddling}")
  (data (i32.const 12288) "noop")
  (data (i32.const 12400) "{name}")
  (func $pre (call $sw (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 1)))
  (func (export "noop"))
  (func (export "{name}") (call $out (i32.const 12400) (i32.const 4)))
  (func (export "input_len")
    (i32.store (i32.const 0) (call $inlen)) (call $out (i32.const 0) (i32.const 4)))
  (func (export "key") (call $pre)
    (call $sw (i32.const 0) (i32.const {key}) (i32.const 1024) (i32.const 1)))
  (func (export "key_read") (call $pre)
    (drop (call $sr (i32.const 0) (i32.const {key}) (i32.const 2048) (i32.const 16))))
  (func (export "key_remove") (call $pre)
    (drop (call $srm (i32.const 0) (i32.const {key}))))
  (func (export "value") (call $pre)
    (call $sw (i32.const 0) (i32.const 1) (i32.const 0) (i32.const {value})))
  (func (export "topic") (call $pre)
    (call $emit (i32.const 0) (i32.const {topic}) (i32.const 0) (i32.const 1)))
  (func (export "data") (call $pre)
    (call $emit (i32.const 0) (i32.const 1) (i32.const 0) (i32.const {data})))
  (func (export "output") (call $pre)
    (call $out (i32.const 0) (i32.const {output})))
  (func (export "events") (local $i i32) (call $pre)
    (loop $l
      (call $emit (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.le_u (local.get $i) (i32.const {events})))))
  (func (export "revert_long") (call $pre)
    (call $revert (i32.const 4096) (i32.const {long_len})))
  (func (export "revert_straddling") (call $pre)
    (call $revert (i32.const 8192) (i32.const {straddling_len})))
  (func (export "revert_at_limit") (call $pre)
    (call $revert (i32.const 4096) (i32.const {revert})))
  (func (export "call_input") (call $pre)
    (call $self (i32.const 12300))
    (drop (call $call (i32.const 12300) (i32.const 12288) (i32.const 4)
                      (i32.const 0) (i32.const {input}) (i64.const 0))))
  (func (export "call_name") (call $pre)
    (call $self (i32.const 12300))
    (drop (call $call (i32.const 12300) (i32.const 12400) (i32.const {name_len})
                      (i32.const 0) (i32.const 0) (i64.const 0))))
  (func (export "at_limits") (local $st i32)
    (call $sw (i32.const 0) (i32.const {key_max}) (i32.const 0) (i32.const {value_max}))
    (drop (call $sr (i32.const 0) (i32.const {key_max}) (i32.const 0) (i32.const 16)))
    (call $emit (i32.const 0) (i32.const {topic_max}) (i32.const 0) (i32.const {data_max}))
    (call $self (i32.const 12300))
    (local.set $st (call $call (i32.const 12300) (i32.const 12288) (i32.const 4)
                               (i32.const 0) (i32.const {input_max}) (i64.const 0)))
    (if (local.get $st) (then unreachable))
    (local.set $st (call $call (i32.const 12300) (i32.const 12400) (i32.const {name_max})
                               (i32.const 0) (i32.const 0) (i64.const 0)))
    (if (local.get $st) (then unreachable))
    (call $out (i32.const 0) (i32.const {output_max}))))"#,
        long = revert_long_message(),
        long_len = revert_long_message().len(),
        straddling = wat_bytes(&revert_straddling_message()),
        straddling_len = revert_straddling_message().len(),
        revert = MAX_REVERT_LEN,
        key = MAX_KEY_LEN + 1,
        value = MAX_VALUE_LEN + 1,
        topic = MAX_EVENT_TOPIC_LEN + 1,
        data = MAX_EVENT_DATA_LEN + 1,
        output = MAX_OUTPUT_LEN + 1,
        events = MAX_EVENTS_PER_CALL,
        input = MAX_INPUT_LEN + 1,
        name_len = MAX_ENTRY_NAME_LEN + 1,
        key_max = MAX_KEY_LEN,
        value_max = MAX_VALUE_LEN,
        topic_max = MAX_EVENT_TOPIC_LEN,
        data_max = MAX_EVENT_DATA_LEN,
        input_max = MAX_INPUT_LEN,
        name_max = MAX_ENTRY_NAME_LEN,
        output_max = MAX_OUTPUT_LEN,
    )
}

// Attack: every length one past its limit (keys, values, events, output, revert, input, names).
#[test]
fn oversized_arguments_fail_with_the_exact_limit() {
    let wat = oversized_wat();
    let hostile = |s: &mut Session, id: ContractId| {
        let cases = [
            (
                "key",
                limit_exceeded("storage key length", MAX_KEY_LEN + 1, MAX_KEY_LEN),
            ),
            (
                "key_read",
                limit_exceeded("storage key length", MAX_KEY_LEN + 1, MAX_KEY_LEN),
            ),
            (
                "key_remove",
                limit_exceeded("storage key length", MAX_KEY_LEN + 1, MAX_KEY_LEN),
            ),
            (
                "value",
                limit_exceeded("storage value length", MAX_VALUE_LEN + 1, MAX_VALUE_LEN),
            ),
            (
                "topic",
                limit_exceeded(
                    "event topic length",
                    MAX_EVENT_TOPIC_LEN + 1,
                    MAX_EVENT_TOPIC_LEN,
                ),
            ),
            (
                "data",
                limit_exceeded(
                    "event data length",
                    MAX_EVENT_DATA_LEN + 1,
                    MAX_EVENT_DATA_LEN,
                ),
            ),
            (
                "output",
                limit_exceeded("output length", MAX_OUTPUT_LEN + 1, MAX_OUTPUT_LEN),
            ),
            (
                "events",
                limit_exceeded(
                    "events per call",
                    MAX_EVENTS_PER_CALL + 1,
                    MAX_EVENTS_PER_CALL,
                ),
            ),
            (
                "call_input",
                limit_exceeded("call input length", MAX_INPUT_LEN + 1, MAX_INPUT_LEN),
            ),
            (
                "call_name",
                limit_exceeded(
                    "entry name length",
                    MAX_ENTRY_NAME_LEN + 1,
                    MAX_ENTRY_NAME_LEN,
                ),
            ),
            (
                "revert_long",
                CallError::Reverted(revert_long_message()[..MAX_REVERT_LEN as usize].into()),
            ),
            (
                "revert_straddling",
                CallError::Reverted("a".repeat(MAX_REVERT_LEN as usize - 1)),
            ),
            (
                "revert_at_limit",
                CallError::Reverted(revert_long_message()[..MAX_REVERT_LEN as usize].into()),
            ),
        ];
        for (entry, expected) in cases {
            assert_eq!(fails(s, id, entry, &[]), expected, "{entry}");
        }

        // At the top level: refused before running, nothing charged, nothing changed.
        let before = s.changes();
        let input = vec![7u8; MAX_INPUT_LEN as usize + 1];
        match s.call(id, "noop", &input, GAS) {
            Err(VmError::Refused(e)) => assert_eq!(
                e,
                limit_exceeded("call input length", MAX_INPUT_LEN + 1, MAX_INPUT_LEN)
            ),
            other => panic!("oversized input: {other:?}"),
        }
        let name = "n".repeat(MAX_ENTRY_NAME_LEN as usize + 1);
        match s.call(id, &name, &[], GAS) {
            Err(VmError::Refused(e)) => assert_eq!(
                e,
                limit_exceeded(
                    "entry name length",
                    MAX_ENTRY_NAME_LEN + 1,
                    MAX_ENTRY_NAME_LEN
                )
            ),
            other => panic!("oversized entry name: {other:?}"),
        }
        match s.query(id, &name, &input, u64::MAX) {
            Err(VmError::Refused(CallError::LimitExceeded { .. })) => {}
            other => panic!("oversized query: {other:?}"),
        }
        assert_eq!(s.changes(), before);
    };

    // Same root as a session that never made the hostile calls.
    let vm = Vm::ephemeral().expect("vm");
    let clean = committed_root(&vm, &wat, |_, _| {});
    let attacked = committed_root(&vm, &wat, hostile);
    assert_eq!(attacked, clean);
}

// Control for the case above: exactly at every limit, each request succeeds.
#[test]
fn arguments_exactly_at_their_limits_succeed() {
    let mut s = session();
    let id = deploy_wat(&mut s, &oversized_wat());
    let r = call(&mut s, id, "at_limits");
    assert_eq!(
        r.result.as_ref().map(Vec::len),
        Ok(MAX_OUTPUT_LEN as usize),
        "{:?}",
        r.result.as_ref().err()
    );
    assert_eq!(r.events.len(), 1);
    assert_eq!(r.events[0].topic.len(), MAX_EVENT_TOPIC_LEN as usize);
    assert_eq!(r.events[0].data.len(), MAX_EVENT_DATA_LEN as usize);
    let storage = s.changes().storage;
    assert_eq!(storage.len(), 1);
    let ((_, key), value) = storage.iter().next().unwrap();
    assert_eq!(key.len(), MAX_KEY_LEN as usize);
    assert_eq!(value.as_ref().map(Vec::len), Some(MAX_VALUE_LEN as usize));

    let input = vec![7u8; MAX_INPUT_LEN as usize];
    let r = s.call(id, "input_len", &input, GAS).expect("no VM fault");
    assert_eq!(r.result, Ok(MAX_INPUT_LEN.to_le_bytes().to_vec()));
    let name = "n".repeat(MAX_ENTRY_NAME_LEN as usize);
    assert_eq!(call(&mut s, id, &name).result, Ok(b"nnnn".to_vec()));
}

// ---- 9. out-of-bounds pointers ------------------------------------------------------------------

/// Every entry makes a valid write first (which the failure must roll back), then passes a range
/// starting at the last byte of its one page (65,535) with length 2, or 32 for a contract id.
const OUT_OF_BOUNDS: &str = r#"
  (memory (export "memory") 1)
  (data (i32.const 200) "two")
  (func $pre (call $sw (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 1)))
  (func (export "two")
    (call $sw (i32.const 200) (i32.const 3) (i32.const 200) (i32.const 3))
    (call $out (i32.const 200) (i32.const 2)))
  (func (export "storage_write_key") (call $pre)
    (call $sw (i32.const 65535) (i32.const 2) (i32.const 0) (i32.const 1)))
  (func (export "storage_write_value") (call $pre)
    (call $sw (i32.const 0) (i32.const 1) (i32.const 65535) (i32.const 2)))
  (func (export "storage_read_key") (call $pre)
    (drop (call $sr (i32.const 65535) (i32.const 2) (i32.const 0) (i32.const 1))))
  (func (export "storage_read_out") (call $pre)
    (drop (call $sr (i32.const 0) (i32.const 1) (i32.const 65535) (i32.const 2))))
  (func (export "storage_remove_key") (call $pre)
    (drop (call $srm (i32.const 65535) (i32.const 2))))
  (func (export "emit_topic") (call $pre)
    (call $emit (i32.const 65535) (i32.const 2) (i32.const 0) (i32.const 1)))
  (func (export "emit_data") (call $pre)
    (call $emit (i32.const 0) (i32.const 1) (i32.const 65535) (i32.const 2)))
  (func (export "output_write") (call $pre)
    (call $out (i32.const 65535) (i32.const 2)))
  (func (export "output_fits")
    (i32.store16 (i32.const 65534) (i32.const 0x4241))
    (call $out (i32.const 65534) (i32.const 2)))
  (func (export "input_read") (call $pre)
    (call $in (i32.const 65535)))
  (func (export "revert") (call $pre)
    (call $revert (i32.const 65535) (i32.const 2)))
  (func (export "revert_huge") (call $pre)
    (call $revert (i32.const 0) (i32.const -1)))
  (func (export "self_id") (call $pre)
    (call $self (i32.const 65535)))
  (func (export "return_data_read") (call $pre)
    (call $self (i32.const 100))
    (if (call $call (i32.const 100) (i32.const 200) (i32.const 3) (i32.const 0) (i32.const 0)
                    (i64.const 0))
      (then unreachable))
    (if (i32.ne (call $rdlen) (i32.const 2)) (then unreachable))
    (call $rd (i32.const 65535)))
  (func (export "call_id") (call $pre)
    (drop (call $call (i32.const 65535) (i32.const 200) (i32.const 3) (i32.const 0) (i32.const 0)
                      (i64.const 0))))
  (func (export "call_name") (call $pre)
    (call $self (i32.const 100))
    (drop (call $call (i32.const 100) (i32.const 65535) (i32.const 2) (i32.const 0) (i32.const 0)
                      (i64.const 0))))
  (func (export "call_input") (call $pre)
    (call $self (i32.const 100))
    (drop (call $call (i32.const 100) (i32.const 200) (i32.const 3) (i32.const 65535) (i32.const 2)
                      (i64.const 0))))
"#;

// Attack: pointers to the last byte of memory with a length running one byte past the end.
#[test]
fn out_of_bounds_pointers_fail_with_the_exact_range() {
    let wat = format!("(module {IMPORTS} {OUT_OF_BOUNDS})");
    let oob = |ptr: u32, len: u32| CallError::MemoryOutOfBounds { ptr, len };
    let hostile = |s: &mut Session, id: ContractId| {
        for (entry, input, expected) in [
            ("storage_write_key", &[][..], oob(65535, 2)),
            ("storage_write_value", &[], oob(65535, 2)),
            ("storage_read_key", &[], oob(65535, 2)),
            ("storage_read_out", &[], oob(65535, 2)),
            ("storage_remove_key", &[], oob(65535, 2)),
            ("emit_topic", &[], oob(65535, 2)),
            ("emit_data", &[], oob(65535, 2)),
            ("output_write", &[], oob(65535, 2)),
            ("input_read", &[1, 2], oob(65535, 2)),
            ("revert", &[], oob(65535, 2)),
            ("revert_huge", &[], oob(0, u32::MAX)),
            ("self_id", &[], oob(65535, 32)),
            ("return_data_read", &[], oob(65535, 2)),
            ("call_id", &[], oob(65535, 32)),
            ("call_name", &[], oob(65535, 2)),
            ("call_input", &[], oob(65535, 2)),
        ] {
            assert_eq!(fails(s, id, entry, input), expected, "{entry}");
        }
        // The same range one byte lower is in bounds.
        let r = call(s, id, "output_fits");
        assert_eq!(r.result, Ok(b"AB".to_vec()));
        // The input fits in its last two bytes too: an empty input writes nothing.
        let r = s.call(id, "input_read", &[], GAS).expect("no VM fault");
        assert_eq!(r.result, Ok(vec![]));
        assert_eq!(s.changes().storage.len(), 1, "only the last call's write");
    };
    let vm = Vm::ephemeral().expect("vm");
    let clean = committed_root(&vm, &wat, |s, id| {
        assert!(
            s.call(id, "input_read", &[], GAS)
                .expect("no VM fault")
                .result
                .is_ok()
        );
    });
    let attacked = committed_root(&vm, &wat, hostile);
    assert_eq!(
        attacked, clean,
        "the hostile calls left no trace in the state"
    );
}

// ---- 10. storage isolation ----------------------------------------------------------------------

/// `set` stores its input under "owner"; `get` outputs it (or "absent"); `forge` (input: the
/// victim's id) writes "owner", victim id ++ "owner" and the bare victim id, all to "mallory";
/// `wipe` removes "owner".
const VAULT: &str = r#"
  (memory (export "memory") 1)
  (data (i32.const 0) "owner")
  (data (i32.const 16) "mallory")
  (data (i32.const 32) "absent")
  (func (export "set") (local $n i32)
    (local.set $n (call $inlen))
    (call $in (i32.const 1024))
    (call $sw (i32.const 0) (i32.const 5) (i32.const 1024) (local.get $n)))
  (func (export "get") (local $n i32)
    (local.set $n (call $sr (i32.const 0) (i32.const 5) (i32.const 1024) (i32.const 64)))
    (if (i32.eq (local.get $n) (i32.const -1))
      (then (call $out (i32.const 32) (i32.const 6)))
      (else (call $out (i32.const 1024) (local.get $n)))))
  (func (export "forge")
    (call $in (i32.const 100))
    (i32.store (i32.const 132) (i32.load (i32.const 0)))
    (i32.store8 (i32.const 136) (i32.load8_u (i32.const 4)))
    (call $sw (i32.const 0) (i32.const 5) (i32.const 16) (i32.const 7))
    (call $sw (i32.const 100) (i32.const 37) (i32.const 16) (i32.const 7))
    (call $sw (i32.const 100) (i32.const 32) (i32.const 16) (i32.const 7)))
  (func (export "wipe")
    (i32.store (i32.const 2000) (call $srm (i32.const 0) (i32.const 5)))
    (call $out (i32.const 2000) (i32.const 4)))
"#;

// Attack: contract A writes and removes B's key bytes (plain and prefixed with B's id).
#[test]
fn a_contract_cannot_touch_another_contracts_storage() {
    let wat = format!("(module {IMPORTS} {VAULT})");
    let vm = Vm::ephemeral().expect("vm");
    let mut setup = vm.session(SessionConfig::default()).expect("session");
    let a = deploy_nonce(&mut setup, &wat, 0);
    let b = deploy_nonce(&mut setup, &wat, 1);
    assert_ne!(a, b);
    assert!(
        setup
            .call(b, "set", b"bob", GAS)
            .expect("no VM fault")
            .result
            .is_ok()
    );
    let base = setup.commit().expect("commit");

    let mut s = vm.session(SessionConfig::default()).expect("session");
    assert_eq!(s.base_root(), base);
    assert_eq!(call(&mut s, a, "get").result, Ok(b"absent".to_vec()));
    let r = s.call(a, "forge", &b.0, GAS).expect("no VM fault");
    assert!(r.result.is_ok(), "{:?}", r.result);
    assert_eq!(call(&mut s, a, "get").result, Ok(b"mallory".to_vec()));
    assert_eq!(call(&mut s, b, "get").result, Ok(b"bob".to_vec()));
    assert_eq!(
        call(&mut s, a, "wipe").result,
        Ok(1i32.to_le_bytes().to_vec())
    );
    assert_eq!(
        call(&mut s, a, "wipe").result,
        Ok(0i32.to_le_bytes().to_vec())
    );
    assert_eq!(call(&mut s, b, "get").result, Ok(b"bob".to_vec()));

    let changes = s.changes();
    assert!(changes.contracts.is_empty() && changes.code.is_empty());
    let mut prefixed = b.0.to_vec();
    prefixed.extend(b"owner");
    let expected = sorted(vec![
        (a, b"owner".to_vec(), None),
        (a, prefixed, Some(b"mallory".to_vec())),
        (a, b.0.to_vec(), Some(b"mallory".to_vec())),
    ]);
    assert_eq!(storage_of(&s), expected, "A's contract id only");

    let root = s.commit().expect("commit");
    let mut after = vm
        .session(SessionConfig {
            root: Some(root),
            ..SessionConfig::default()
        })
        .expect("session");
    assert_eq!(call(&mut after, b, "get").result, Ok(b"bob".to_vec()));
    assert_eq!(call(&mut after, a, "get").result, Ok(b"absent".to_vec()));
}

// ---- 11. rollback of a failing callee -----------------------------------------------------------

/// `parent` (input: child id, leaf id, i64 gas for the child, child entry name) emits and writes
/// p1, calls the child, writes and emits p2, outputs status ++ return data. Each `child_*` emits
/// and writes c, calls `leaf` (which emits and writes g, successfully), then fails its own way.
const NODE: &str = r#"
  (memory (export "memory") 1)
  (data (i32.const 300) "p1p2")
  (data (i32.const 310) "c")
  (data (i32.const 320) "leaf")
  (data (i32.const 330) "g")
  (data (i32.const 340) "child gives up")
  (func (export "parent") (local $len i32)
    (call $in (i32.const 0))
    (call $emit (i32.const 300) (i32.const 2) (i32.const 0) (i32.const 0))
    (call $sw (i32.const 300) (i32.const 2) (i32.const 300) (i32.const 2))
    (i32.store (i32.const 1000)
      (call $call (i32.const 0) (i32.const 72) (i32.sub (call $inlen) (i32.const 72))
                  (i32.const 32) (i32.const 32) (i64.load (i32.const 64))))
    (call $sw (i32.const 302) (i32.const 2) (i32.const 302) (i32.const 2))
    (call $emit (i32.const 302) (i32.const 2) (i32.const 0) (i32.const 0))
    (local.set $len (call $rdlen))
    (call $rd (i32.const 1004))
    (call $out (i32.const 1000) (i32.add (i32.const 4) (local.get $len))))
  (func $effects_and_leaf
    (call $in (i32.const 0))
    (call $emit (i32.const 310) (i32.const 1) (i32.const 0) (i32.const 0))
    (call $sw (i32.const 310) (i32.const 1) (i32.const 310) (i32.const 1))
    (i32.store (i32.const 500)
      (call $call (i32.const 0) (i32.const 320) (i32.const 4) (i32.const 0) (i32.const 0) (i64.const 0)))
    (if (i32.load (i32.const 500)) (then unreachable)))
  (func (export "child_ok") (call $effects_and_leaf) (call $out (i32.const 320) (i32.const 4)))
  (func (export "child_revert") (call $effects_and_leaf) (call $revert (i32.const 340) (i32.const 14)))
  (func (export "child_trap") (call $effects_and_leaf) unreachable)
  (func (export "child_oog") (call $effects_and_leaf) (loop $l (br $l)))
  (func (export "leaf")
    (call $emit (i32.const 330) (i32.const 1) (i32.const 0) (i32.const 0))
    (call $sw (i32.const 330) (i32.const 1) (i32.const 330) (i32.const 1))
    (call $out (i32.const 320) (i32.const 4)))
"#;

// Attack: a callee (and its successful grandchild) emit and write, then the callee fails.
#[test]
fn failing_callee_events_and_writes_roll_back_while_the_callers_survive() {
    const CHILD_GAS: u64 = 50_000_000;
    let wat = format!("(module {IMPORTS} {NODE})");
    let run = |child_entry: &str| {
        let mut s = session();
        let (p, c, l) = (
            deploy_nonce(&mut s, &wat, 0),
            deploy_nonce(&mut s, &wat, 1),
            deploy_nonce(&mut s, &wat, 2),
        );
        let mut input = c.0.to_vec();
        input.extend(l.0);
        input.extend(CHILD_GAS.to_le_bytes());
        input.extend(child_entry.as_bytes());
        let r = s.call(p, "parent", &input, GAS).expect("no VM fault");
        (r, storage_of(&s), [p, c, l])
    };
    let event = |r: &Receipt| -> Vec<(ContractId, Vec<u8>)> {
        r.events
            .iter()
            .map(|e| (e.contract, e.topic.clone()))
            .collect()
    };
    let put = |c: ContractId, k: &str| (c, k.as_bytes().to_vec(), Some(k.as_bytes().to_vec()));

    // Control: everything survives, in emission order.
    let (r, storage, [p, c, l]) = run("child_ok");
    let mut out = status::CALL_OK.to_le_bytes().to_vec();
    out.extend(b"leaf");
    assert_eq!(r.result, Ok(out));
    assert_eq!(
        event(&r),
        vec![
            (p, b"p1".to_vec()),
            (c, b"c".to_vec()),
            (l, b"g".to_vec()),
            (p, b"p2".to_vec())
        ]
    );
    assert_eq!(
        storage,
        sorted(vec![put(p, "p1"), put(p, "p2"), put(c, "c"), put(l, "g")])
    );

    for (entry, error, st, message) in [
        (
            "child_revert",
            CallError::Reverted("child gives up".into()),
            status::CALL_REVERTED,
            "child gives up".to_string(),
        ),
        (
            "child_trap",
            CallError::Trap(TrapCode::Unreachable),
            status::CALL_TRAPPED,
            CallError::Trap(TrapCode::Unreachable).to_string(),
        ),
        (
            "child_oog",
            CallError::OutOfGas,
            status::CALL_OUT_OF_GAS,
            CallError::OutOfGas.to_string(),
        ),
    ] {
        let (r, storage, [p, c, l]) = run(entry);
        let mut out = st.to_le_bytes().to_vec();
        out.extend(message.as_bytes());
        assert_eq!(r.result, Ok(out), "{entry}");
        assert_eq!(
            event(&r),
            vec![(p, b"p1".to_vec()), (p, b"p2".to_vec())],
            "{entry}: only the caller's events"
        );
        assert_eq!(
            storage,
            sorted(vec![put(p, "p1"), put(p, "p2")]),
            "{entry}: only the caller's writes"
        );
        let frames: Vec<_> = r
            .calls
            .iter()
            .map(|f| (f.depth, f.contract, f.error.clone()))
            .collect();
        assert_eq!(
            frames,
            vec![(1, p, None), (2, c, Some(error)), (3, l, None)],
            "{entry}: the leaf succeeded, and went down with its parent"
        );
        assert_eq!(r.calls[1].gas_limit, CHILD_GAS, "{entry}");
        if entry == "child_oog" {
            assert_eq!(r.calls[1].gas_spent, CHILD_GAS);
        }
    }
}
