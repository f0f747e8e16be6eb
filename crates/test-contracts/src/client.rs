//! How a host talks to the example contracts: the borsh mirrors of their argument and record
//! types and the domains their signatures are bound to, written once for every caller (the
//! VM's tests, the harness tests and the CLI's demo), so that a change to a contract's encoding
//! is made in one place beside the contract's bytes.

use borsh::BorshSerialize;

/// The payload a contract signs or checks for `domain`, as the example contracts build it:
/// borsh of `(domain, contract id, chain id)` followed by `rest` (already borsh-encoded). Binding
/// the contract and the chain keeps a signature from being replayed elsewhere.
pub fn domain_payload(domain: &[u8], contract: [u8; 32], chain_id: u64, rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + domain.len() + 32 + 8 + rest.len());
    // Writing into a Vec cannot fail.
    let _ = (domain, contract, chain_id).serialize(&mut out);
    out.extend_from_slice(rest);
    out
}

/// `contracts/darkpool`.
pub mod darkpool {
    use borsh::BorshSerialize;

    /// Asset index of the base asset.
    pub const BASE: u8 = 0;
    /// Asset index of the quote asset.
    pub const QUOTE: u8 = 1;
    /// Domain of the committee's signature over a matched trade.
    pub const MATCH_DOMAIN: &[u8] = b"shortcrust-darkpool/match/v1";

    /// The contract's `Trade`, field for field.
    #[derive(BorshSerialize, Clone, Debug)]
    pub struct Trade {
        pub match_id: [u8; 32],
        pub seller: [u8; 32],
        pub buyer: [u8; 32],
        pub base_amount: u64,
        pub quote_amount: u64,
        pub seller_base_new: [u8; 64],
        pub seller_quote_new: [u8; 64],
        pub buyer_base_new: [u8; 64],
        pub buyer_quote_new: [u8; 64],
    }
}

/// `contracts/wallet`.
pub mod wallet {
    use borsh::BorshDeserialize;

    /// Domain of a key's signature registering itself.
    pub const REGISTER_DOMAIN: &[u8] = b"shortcrust-wallet/register/v1";
    /// Domain of a transfer's signature.
    pub const TRANSFER_DOMAIN: &[u8] = b"shortcrust-wallet/transfer/v1";

    /// The contract's `Account`, field for field.
    #[derive(BorshDeserialize, Debug, PartialEq, Eq)]
    pub struct Account {
        pub scheme: u8,
        pub public_key: [u8; 32],
        pub nonce: u64,
    }
}

/// `contracts/committee`.
pub mod committee {
    /// Domain of the members' signatures attesting a round.
    pub const ATTEST_DOMAIN: &[u8] = b"shortcrust-committee/attest/v1";
}

#[cfg(test)]
mod tests {
    #[test]
    fn domain_payload_is_the_borsh_tuple_then_the_rest() {
        let out = super::domain_payload(b"d", [7; 32], 9, &[1, 2]);
        let mut expected = vec![1, 0, 0, 0, b'd'];
        expected.extend([7; 32]);
        expected.extend(9u64.to_le_bytes());
        expected.extend([1, 2]);
        assert_eq!(out, expected);
    }
}
