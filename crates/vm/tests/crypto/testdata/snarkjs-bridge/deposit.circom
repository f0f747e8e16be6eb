pragma circom 2.0.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";

// The statement the `bridge` contract's tests accept: "I know the secret of a deposit whose
// nullifier is Poseidon(secret), and I claim `amount` for `recipient`". A stand-in for an
// external chain's deposit circuit (which would also prove the deposit's inclusion under a
// state root). Public signals, in snarkjs order (outputs first):
//   [nullifier, recipientHi, recipientLo, amount]
// where the 32-byte recipient is recipientHi (first 16 bytes, big-endian) || recipientLo.
template BridgeDeposit() {
    signal input secret;
    signal input recipientHi;
    signal input recipientLo;
    signal input amount;
    signal output nullifier;

    // The layout the contract relies on: halves of 128 bits, an amount of 64 bits.
    component hi = Num2Bits(128);
    hi.in <== recipientHi;
    component lo = Num2Bits(128);
    lo.in <== recipientLo;
    component amountBits = Num2Bits(64);
    amountBits.in <== amount;

    component hash = Poseidon(1);
    hash.inputs[0] <== secret;
    nullifier <== hash.out;
}

component main {public [recipientHi, recipientLo, amount]} = BridgeDeposit();
