//! Sessions are `Send`: many run at once on different threads, from the same or different
//! roots, and their commits fork the state.

use std::sync::Arc;

use shortcrust_vm::{DeployOptions, Session, SessionConfig, Vm};

use crate::{COUNTER_WAT as COUNTER, GAS};

#[test]
fn sessions_and_vms_are_send_and_sync_where_needed() {
    fn send<T: Send>() {}
    fn send_sync<T: Send + Sync>() {}
    send::<Session>();
    send_sync::<Vm>();
}

#[test]
fn parallel_sessions_fork_from_one_root() {
    let dir = tempfile::tempdir().unwrap();
    let vm = Vm::open(dir.path()).unwrap();
    let mut s = vm.session(SessionConfig::default()).unwrap();
    let code = wat::parse_str(COUNTER).unwrap();
    let id = s.deploy(&code, DeployOptions::default()).unwrap().id;
    let base = s.commit().unwrap();

    // Thread t increments t+1 times from the same base, then commits: t+1 forks.
    let vm = Arc::new(vm);
    let handles: Vec<_> = (0..4u64)
        .map(|t| {
            let vm = vm.clone();
            std::thread::spawn(move || {
                let mut s = vm
                    .session(SessionConfig {
                        root: Some(base),
                        ..Default::default()
                    })
                    .unwrap();
                let mut last = 0;
                for _ in 0..=t {
                    let out = s
                        .call(id, "increment", &[], GAS)
                        .expect("no VM fault")
                        .result
                        .unwrap();
                    last = u64::from_le_bytes(out.try_into().unwrap());
                }
                (t, last, s.commit().unwrap())
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    for (t, last, root) in &results {
        assert_eq!(*last, t + 1);
        let mut s = vm
            .session(SessionConfig {
                root: Some(*root),
                ..Default::default()
            })
            .unwrap();
        let out = s
            .query(id, "increment", &[], GAS)
            .expect("no VM fault")
            .result
            .unwrap();
        assert_eq!(u64::from_le_bytes(out.try_into().unwrap()), t + 2);
    }
    let mut roots: Vec<_> = results.iter().map(|r| r.2).collect();
    roots.sort();
    roots.dedup();
    assert_eq!(roots.len(), 4, "four different states");

    // The same work from the same base gives the same root, whichever thread did it.
    let again = std::thread::spawn({
        let vm = vm.clone();
        move || {
            let mut s = vm
                .session(SessionConfig {
                    root: Some(base),
                    ..Default::default()
                })
                .unwrap();
            s.call(id, "increment", &[], GAS)
                .expect("no VM fault")
                .result
                .unwrap();
            s.commit().unwrap()
        }
    })
    .join()
    .unwrap();
    assert!(results.iter().any(|(t, _, r)| *t == 0 && *r == again));
}

#[test]
fn memory_and_persistent_stores_agree_on_roots() {
    let code = wat::parse_str(COUNTER).unwrap();
    let run = |vm: &Vm| {
        let mut s = vm.session(SessionConfig::default()).unwrap();
        let id = s
            .deploy(
                &code,
                DeployOptions {
                    owner: [7; 32],
                    ..Default::default()
                },
            )
            .unwrap()
            .id;
        s.call(id, "increment", &[], GAS)
            .expect("no VM fault")
            .result
            .unwrap();
        s.commit().unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        run(&Vm::ephemeral().unwrap()),
        run(&Vm::open(dir.path()).unwrap())
    );
}
