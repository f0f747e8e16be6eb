//! The adversarial corpus, calls: re-entrancy into a paused frame, call depth with start
//! functions, and gas arithmetic at the top of the integer ranges.

use super::*;

// ---- 5. re-entrancy -----------------------------------------------------------------------------

/// A: `outer` (input: B's id, the length of B's entry name as a u32, that name, then the name of
/// A's entry B must call back) writes k = "before", sets a global and a memory marker, calls B,
/// writes after = "yes", then outputs status, k (length, 6 bytes), k2 (length, 6 bytes),
/// return-data length and return data.
const REENTRANT_A: &str = r#"
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 0))
  (data (i32.const 100) "k")
  (data (i32.const 101) "k2")
  (data (i32.const 103) "after")
  (data (i32.const 108) "before")
  (data (i32.const 114) "inner!")
  (data (i32.const 120) "clobbr")
  (data (i32.const 126) "yes")
  (data (i32.const 136) "re-entrant revert")
  (func (export "outer") (local $st i32) (local $len i32) (local $name i32)
    (call $in (i32.const 0))
    (local.set $name (i32.load (i32.const 32)))
    (global.set $g (i32.const 42))
    (i32.store (i32.const 900) (i32.const 0x5eed))
    (call $sw (i32.const 100) (i32.const 1) (i32.const 108) (i32.const 6))
    (local.set $st
      (call $call (i32.const 0) (i32.const 36) (local.get $name)
                  (i32.add (i32.const 36) (local.get $name))
                  (i32.sub (call $inlen) (i32.add (i32.const 36) (local.get $name)))
                  (i64.const 0)))
    (call $sw (i32.const 103) (i32.const 5) (i32.const 126) (i32.const 3))
    (i32.store (i32.const 1000) (local.get $st))
    (i32.store (i32.const 1004) (call $sr (i32.const 100) (i32.const 1) (i32.const 1008) (i32.const 6)))
    (i32.store (i32.const 1014) (call $sr (i32.const 101) (i32.const 2) (i32.const 1018) (i32.const 6)))
    (local.set $len (call $rdlen))
    (i32.store (i32.const 1024) (local.get $len))
    (call $rd (i32.const 1028))
    (call $out (i32.const 1000) (i32.add (i32.const 28) (local.get $len))))
  ;; Re-entered: outputs what it sees of k (length, 6 bytes), the global and the memory marker.
  (func (export "inner")
    (i32.store (i32.const 1000) (call $sr (i32.const 100) (i32.const 1) (i32.const 1004) (i32.const 6)))
    (i32.store (i32.const 1010) (global.get $g))
    (i32.store (i32.const 1014) (i32.load (i32.const 900)))
    (call $sw (i32.const 101) (i32.const 2) (i32.const 114) (i32.const 6))
    (call $out (i32.const 1000) (i32.const 18)))
  (func $clobber
    (call $sw (i32.const 100) (i32.const 1) (i32.const 120) (i32.const 6))
    (call $sw (i32.const 101) (i32.const 2) (i32.const 114) (i32.const 6))
    (call $emit (i32.const 101) (i32.const 2) (i32.const 0) (i32.const 0)))
  (func (export "inner_revert")
    (call $clobber)
    (call $revert (i32.const 136) (i32.const 17)))
  (func (export "inner_trap")
    (call $clobber)
    (drop (i32.div_u (i32.const 1) (i32.load (i32.const 904)))))
"#;

/// B: `reenter` calls back its caller's entry named by its input, writes b = status, and outputs
/// status ++ return data; `reenter_then_revert` does the same, then reverts.
const REENTRANT_B: &str = r#"
  (memory (export "memory") 1)
  (data (i32.const 600) "b")
  (data (i32.const 601) "B gives up")
  (func $reenter (local $len i32)
    (drop (call $caller (i32.const 0)))
    (call $in (i32.const 32))
    (i32.store (i32.const 500)
      (call $call (i32.const 0) (i32.const 32) (call $inlen) (i32.const 0) (i32.const 0) (i64.const 0)))
    (call $sw (i32.const 600) (i32.const 1) (i32.const 500) (i32.const 4))
    (local.set $len (call $rdlen))
    (call $rd (i32.const 504))
    (call $out (i32.const 500) (i32.add (i32.const 4) (local.get $len))))
  (func (export "reenter") (call $reenter))
  (func (export "reenter_then_revert")
    (call $reenter)
    (call $revert (i32.const 601) (i32.const 10)))
"#;

struct Reentry {
    out: Vec<u8>,
    receipt: Receipt,
    session: Session,
    a: ContractId,
    b: ContractId,
}

fn reenter(b_entry: &str, inner: &str) -> Reentry {
    let mut s = session();
    let a = deploy_wat(&mut s, &format!("(module {IMPORTS} {REENTRANT_A})"));
    let b = deploy_wat(&mut s, &format!("(module {IMPORTS} {REENTRANT_B})"));
    let mut input = b.0.to_vec();
    input.extend((b_entry.len() as u32).to_le_bytes());
    input.extend(b_entry.as_bytes());
    input.extend(inner.as_bytes());
    let receipt = s.call(a, "outer", &input, GAS).expect("no VM fault");
    let out = receipt.result.clone().expect("A survives whatever B does");
    Reentry {
        out,
        receipt,
        session: s,
        a,
        b,
    }
}

/// What A's `outer` reports.
struct OuterView {
    status: i32,
    k: Option<Vec<u8>>,
    k2: Option<Vec<u8>>,
    return_data: Vec<u8>,
}

fn outer_view(out: &[u8]) -> OuterView {
    let read = |at: usize| match i32_at(out, at) {
        -1 => None,
        len => Some(out[at + 4..at + 4 + len as usize].to_vec()),
    };
    let len = i32_at(out, 24) as usize;
    assert_eq!(out.len(), 28 + len);
    OuterView {
        status: i32_at(out, 0),
        k: read(4),
        k2: read(14),
        return_data: out[28..].to_vec(),
    }
}

// Attack: B calls back into A while A's frame is paused mid-call, A writing before and after.
#[test]
fn reentrant_frame_sees_the_paused_frames_writes_and_fails_alone() {
    let entry = |c: ContractId, k: &str, v: &[u8]| (c, k.as_bytes().to_vec(), Some(v.to_vec()));

    // Success: the re-entrant frame sees A's write made before the call, but not A's globals or
    // memory (a fresh instance); A then sees the re-entrant frame's write.
    let r = reenter("reenter", "inner");
    let OuterView {
        status: st,
        k,
        k2,
        return_data: rd,
    } = outer_view(&r.out);
    assert_eq!(st, status::CALL_OK);
    assert_eq!(k.as_deref(), Some(&b"before"[..]));
    assert_eq!(k2.as_deref(), Some(&b"inner!"[..]));
    let mut inner = status::CALL_OK.to_le_bytes().to_vec();
    inner.extend(6i32.to_le_bytes());
    inner.extend(b"before");
    inner.extend(0i32.to_le_bytes()); // A's global in the re-entrant instance
    inner.extend(0i32.to_le_bytes()); // A's memory marker in the re-entrant instance
    assert_eq!(rd, inner);
    let depths: Vec<_> = r
        .receipt
        .calls
        .iter()
        .map(|c| (c.depth, c.contract))
        .collect();
    assert_eq!(depths, vec![(1, r.a), (2, r.b), (3, r.a)]);
    assert!(r.receipt.calls.iter().all(|c| c.error.is_none()));
    assert_eq!(
        storage_of(&r.session),
        sorted(vec![
            entry(r.a, "k", b"before"),
            entry(r.a, "k2", b"inner!"),
            entry(r.a, "after", b"yes"),
            entry(r.b, "b", &status::CALL_OK.to_le_bytes()),
        ])
    );

    // The re-entrant frame overwrites k, writes k2 and emits, then fails: only its own effects
    // are undone (A's earlier write to the same key is back), B's and A's others stay.
    for (inner, error, message) in [
        (
            "inner_revert",
            CallError::Reverted("re-entrant revert".into()),
            "re-entrant revert".to_string(),
        ),
        (
            "inner_trap",
            CallError::Trap(TrapCode::IntegerDivisionByZero),
            "trap: integer division by zero".to_string(),
        ),
    ] {
        let r = reenter("reenter", inner);
        let OuterView {
            status: st,
            k,
            k2,
            return_data: rd,
        } = outer_view(&r.out);
        assert_eq!(st, status::CALL_OK, "{inner}: B itself succeeded");
        assert_eq!(k.as_deref(), Some(&b"before"[..]), "{inner}");
        assert_eq!(k2, None, "{inner}");
        let failed = match &error {
            CallError::Reverted(_) => status::CALL_REVERTED,
            _ => status::CALL_TRAPPED,
        };
        let mut expected = failed.to_le_bytes().to_vec();
        expected.extend(message.as_bytes());
        assert_eq!(rd, expected, "{inner}");
        assert_eq!(r.receipt.calls[2].error, Some(error), "{inner}");
        assert!(r.receipt.events.is_empty(), "{inner}: its event is gone");
        assert_eq!(
            storage_of(&r.session),
            sorted(vec![
                entry(r.a, "k", b"before"),
                entry(r.a, "after", b"yes"),
                entry(r.b, "b", &failed.to_le_bytes()),
            ]),
            "{inner}"
        );
    }

    // The re-entrant frame succeeds but B fails after it: the re-entrant write goes with B.
    let r = reenter("reenter_then_revert", "inner");
    let OuterView {
        status: st,
        k,
        k2,
        return_data: rd,
    } = outer_view(&r.out);
    assert_eq!(st, status::CALL_REVERTED);
    assert_eq!(rd, b"B gives up");
    assert_eq!(k.as_deref(), Some(&b"before"[..]));
    assert_eq!(k2, None);
    assert_eq!(r.receipt.calls[2].error, None);
    assert_eq!(
        storage_of(&r.session),
        sorted(vec![
            entry(r.a, "k", b"before"),
            entry(r.a, "after", b"yes")
        ])
    );
}

// ---- 6. call depth with start functions ---------------------------------------------------------

/// `dive` checks that its start function ran once in this instance, then calls itself; outputs
/// its status ++ the return data. The start function fills memory and recurses 20 frames of 33
/// locals each.
const DIVER: &str = r#"
  (memory (export "memory") 1)
  (global $started (mut i32) (i32.const 0))
  (data (i32.const 0) "dive")
  (func $burn (param $n i32) (result i64)
    (local $a i64) (local $b i64) (local $c i64) (local $d i64) (local $e i64) (local $f i64)
    (local $g i64) (local $h i64) (local $i i64) (local $j i64) (local $k i64) (local $l i64)
    (local $m i64) (local $o i64) (local $p i64) (local $q i64) (local $r i64) (local $s i64)
    (local $t i64) (local $u i64) (local $v i64) (local $w i64) (local $x i64) (local $y i64)
    (local $z i64) (local $aa i64) (local $bb i64) (local $cc i64) (local $dd i64)
    (local $ee i64) (local $ff i64) (local $gg i64)
    (local.set $a (i64.extend_i32_u (local.get $n)))
    (local.set $gg (i64.mul (local.get $a) (i64.const 31)))
    (if (result i64) (i32.eqz (local.get $n))
      (then (i64.const 1))
      (else
        (i64.add (i64.add (local.get $a) (local.get $gg))
                 (call $burn (i32.sub (local.get $n) (i32.const 1)))))))
  (func $init
    (memory.fill (i32.const 1024) (i32.const 0xab) (i32.const 4096))
    (i64.store (i32.const 64) (call $burn (i32.const 20)))
    (global.set $started (i32.add (global.get $started) (i32.const 1))))
  (start $init)
  (func (export "dive") (local $st i32) (local $len i32)
    (if (i32.ne (global.get $started) (i32.const 1)) (then unreachable))
    (if (i32.ne (i32.load8_u (i32.const 5119)) (i32.const 0xab)) (then unreachable))
    (call $self (i32.const 32))
    (local.set $st
      (call $call (i32.const 32) (i32.const 0) (i32.const 4) (i32.const 0) (i32.const 0) (i64.const 0)))
    (i32.store (i32.const 8192) (local.get $st))
    (local.set $len (call $rdlen))
    (call $rd (i32.const 8196))
    (call $out (i32.const 8192) (i32.add (i32.const 4) (local.get $len))))
"#;

// Attack: a chain of calls to the depth limit, each frame's start function using memory and stack.
#[test]
fn call_depth_exhaustion_with_start_functions_is_a_status_with_deterministic_gas() {
    let run = || {
        let mut s = session();
        let id = deploy_wat(&mut s, &format!("(module {IMPORTS} {DIVER})"));
        let a = s.call(id, "dive", &[], GAS).expect("no VM fault");
        let b = s.call(id, "dive", &[], GAS).expect("no VM fault");
        assert_eq!(a, b, "deterministic gas");
        assert!(s.changes().storage.is_empty());
        a
    };
    let small = on_thread(256 * 1024, run);
    let large = on_thread(64 << 20, run);
    assert_eq!(small, large);

    let mut expected = Vec::new();
    for _ in 1..MAX_CALL_DEPTH {
        expected.extend(status::CALL_OK.to_le_bytes());
    }
    expected.extend(status::CALL_DEPTH_EXCEEDED.to_le_bytes());
    expected.extend(
        CallError::DepthExceeded(MAX_CALL_DEPTH)
            .to_string()
            .as_bytes(),
    );
    assert_eq!(small.result, Ok(expected));
    let depths: Vec<u32> = small.calls.iter().map(|c| c.depth).collect();
    assert_eq!(depths, (1..=MAX_CALL_DEPTH).collect::<Vec<_>>());
    assert!(small.calls.iter().all(|c| c.error.is_none()));
    // Each frame paid for its start function and its callees out of its own gas.
    for pair in small.calls.windows(2) {
        assert!(pair[1].gas_limit < pair[0].gas_limit);
        assert!(pair[1].gas_spent < pair[0].gas_spent);
    }
}

// ---- 7. gas arithmetic at u64::MAX --------------------------------------------------------------

/// `fwd` (input: callee id, then an i64 gas request) records gas_left (g0), calls the callee's
/// `report` with that request, records gas_left (g1), and outputs g0, g1, status, and the
/// callee's output: its own gas_left on entry.
const GAS_FORWARDER: &str = r#"
  (memory (export "memory") 1)
  (data (i32.const 100) "report")
  (func (export "noop"))
  (func (export "report")
    (i64.store (i32.const 0) (call $gas))
    (call $out (i32.const 0) (i32.const 8)))
  (func (export "fwd") (local $req i64) (local $st i32)
    (call $in (i32.const 0))
    (local.set $req (i64.load (i32.const 32)))
    (i64.store (i32.const 200) (call $gas))
    (local.set $st
      (call $call (i32.const 0) (i32.const 100) (i32.const 6) (i32.const 0) (i32.const 0)
                  (local.get $req)))
    (i64.store (i32.const 208) (call $gas))
    (i32.store (i32.const 216) (local.get $st))
    (call $rd (i32.const 220))
    (call $out (i32.const 200) (i32.const 28)))
"#;

// Attack: gas limits at the top of the u64/i64 ranges, to overflow the VM's gas arithmetic.
#[test]
fn gas_at_u64_max_never_overflows() {
    // The helpers saturate.
    assert_eq!(gas::linear(u64::MAX, u64::MAX, u64::MAX), u64::MAX);
    assert_eq!(gas::deploy_cost(usize::MAX), u64::MAX);
    assert_eq!(gas::initial_memory_cost(u64::MAX), u64::MAX);

    let wat = format!("(module {IMPORTS} {GAS_FORWARDER})");
    let code = wat::parse_str(&wat).expect("valid wat");
    let mut s = session();
    // Deploy: a limit of u64::MAX, and one gas short of the price.
    let needed = gas::deploy_cost(code.len());
    let short = DeployOptions {
        gas_limit: needed - 1,
        ..DeployOptions::default()
    };
    assert_eq!(
        s.deploy(&code, short),
        Err(DeployError::OutOfGas {
            bytes: code.len(),
            needed,
            limit: needed - 1
        })
    );
    let deployed = s
        .deploy(
            &code,
            DeployOptions {
                gas_limit: u64::MAX,
                ..DeployOptions::default()
            },
        )
        .expect("deploy at u64::MAX");
    assert_eq!(deployed.gas_spent, needed);
    let id = deployed.id;

    // A top-level call with u64::MAX gas that returns at once (a module without data segments,
    // which are paid per byte at instantiation).
    let empty = deploy_wat(
        &mut s,
        r#"(module (memory (export "memory") 1) (func (export "noop")))"#,
    );
    for limit in [u64::MAX, u64::MAX - 1, i64::MAX as u64 + 1, GAS] {
        let r = s.call(empty, "noop", &[], limit).expect("no VM fault");
        assert_eq!(r.result, Ok(vec![]), "{limit}");
        assert_eq!(
            (r.gas_limit, r.gas_spent),
            (limit, EMPTY_CALL_GAS),
            "{limit}"
        );
        let q = s.query(empty, "noop", &[], limit).expect("no VM fault");
        assert_eq!(q, r, "{limit}");
    }
    // Exactly the transaction base: nothing left for the frame's memory.
    let r = s.call(empty, "noop", &[], TX_BASE).expect("no VM fault");
    assert_eq!((r.result, r.gas_spent), (Err(CallError::OutOfGas), TX_BASE));

    // A cross-contract call: whatever it asks for, the callee gets at most all but 1/64 of what
    // the caller has left.
    let mut spent = Vec::new();
    let mut overheads = Vec::new();
    for top in [GAS, u64::MAX] {
        for request in [0i64, -1, i64::MIN, i64::MAX, 1_000_000] {
            let mut input = id.0.to_vec();
            input.extend(request.to_le_bytes());
            let r = s.call(id, "fwd", &input, top).expect("no VM fault");
            let out = r.result.clone().expect("fwd succeeds");
            let (g0, g1, st, seen) = (
                u64_at(&out, 0),
                u64_at(&out, 8),
                i32_at(&out, 16),
                u64_at(&out, 20),
            );
            assert_eq!(st, status::CALL_OK, "{top} {request}");
            // What the caller had when `call` read its fuel: g0, less the `i64.store`, the
            // `local.get` and the `call` instruction, less the call's own price.
            use shortcrust_vm::gas::Class;
            let (local, call) = (crate::price(Class::Local), crate::price(Class::Call));
            let surcharge = crate::latest_schedule().host_call_surcharge();
            let remaining = g0 - crate::access_price(true) - local - call - CALL_BASE - surcharge;
            let cap = remaining - remaining / 64;
            let given = match u64::try_from(request) {
                Ok(0) | Err(_) => cap,
                Ok(asked) => asked.min(cap),
            };
            let callee = &r.calls[1];
            assert_eq!(callee.gas_limit, given, "{top} {request}");
            assert!(callee.gas_limit <= cap, "{top} {request}");
            assert_eq!(
                g1,
                remaining - callee.gas_spent - local - call - crate::host_base(),
                "{top} {request}: the caller is charged what the callee spent"
            );
            overheads.push(given - seen);
            spent.push((r.gas_spent, callee.gas_spent));
            assert!(r.gas_spent < GAS);
        }
    }
    // The same work costs the same whatever the limits.
    assert!(overheads.windows(2).all(|w| w[0] == w[1]), "{overheads:?}");
    assert!(spent.windows(2).all(|w| w[0] == w[1]), "{spent:?}");

    // A request of 1 gas: the callee cannot pay for its memory; it spent exactly its 1 gas.
    let mut input = id.0.to_vec();
    input.extend(1i64.to_le_bytes());
    let r = s.call(id, "fwd", &input, u64::MAX).expect("no VM fault");
    let out = r.result.expect("fwd survives");
    assert_eq!(i32_at(&out, 16), status::CALL_OUT_OF_GAS);
    assert_eq!(
        (r.calls[1].gas_limit, r.calls[1].gas_spent),
        (1, 1),
        "{:?}",
        r.calls[1]
    );
    assert_eq!(r.calls[1].error, Some(CallError::OutOfGas));
    assert!(s.changes().storage.is_empty());
}
