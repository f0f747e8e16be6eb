pragma circom 2.0.0;

// Proves knowledge of two factors a, b of a public product c, with a public
// "salt" echoed so that the circuit has two public signals (c is an output).
template Multiplier() {
    signal input a;
    signal input b;
    signal input salt;
    signal output c;
    signal saltSquared;
    c <== a * b;
    saltSquared <== salt * salt;
}

component main {public [salt]} = Multiplier();
