//! Balances are provable against a block's state root, without the database.

use shortcrust_chain::{Account, prove_account, verify_account_proof};
use shortcrust_store::{ProofError, StorageProof};

use super::support::*;

#[test]
fn a_balance_is_proven_against_the_state_root_of_a_block() {
    let (alice, bob, nobody) = (key(1), key(2), key(3));
    let mut chain = TestChain::funded(&[&alice]);
    let genesis_root = chain.root();
    let built = chain.advance(vec![transfer(&alice, 0, id(&bob), 42)]);
    let root = built.block.header.state_root();
    let view = chain.vm.store().view(&root).expect("view");

    // The proof travels as bytes; checking it needs only the root from the header.
    let bytes = prove_account(&*view, &id(&bob))
        .expect("proof")
        .to_bytes()
        .expect("enc");
    let proof = StorageProof::from_bytes(&bytes).expect("dec");
    assert_eq!(
        verify_account_proof(&root, &id(&bob), &proof),
        Ok(Account {
            balance: 42,
            nonce: 0
        })
    );
    let proof = prove_account(&*view, &id(&alice)).expect("proof");
    assert_eq!(
        verify_account_proof(&root, &id(&alice), &proof),
        Ok(chain.account(&id(&alice)))
    );
    assert_eq!(chain.account(&id(&alice)).nonce, 1);
    // Absence is provable too.
    let proof = prove_account(&*view, &id(&nobody)).expect("proof");
    assert_eq!(
        verify_account_proof(&root, &id(&nobody), &proof),
        Ok(Account::default())
    );

    // The wrong root, the wrong account, a forged value: refused.
    let proof = prove_account(&*view, &id(&bob)).expect("proof");
    assert!(matches!(
        verify_account_proof(&genesis_root, &id(&bob), &proof),
        Err(ProofError::RootMismatch { .. })
    ));
    assert_eq!(
        verify_account_proof(&root, &id(&alice), &proof),
        Err(ProofError::WrongKey)
    );
    let mut forged = proof.clone();
    forged.value = Some(
        borsh::to_vec(&Account {
            balance: 1_000_000,
            nonce: 0,
        })
        .expect("enc"),
    );
    assert!(verify_account_proof(&root, &id(&bob), &forged).is_err());
}
