#!/usr/bin/env bash
# Regenerates this fixture from scratch (new randomness, so new bytes): needs node + npm.
# Run from this directory. Pins the tool versions the committed files were made with.
set -euo pipefail
work=$(mktemp -d)
cp multiplier.circom input.json "$work/"
cd "$work"
npm init -y >/dev/null
npm install --silent snarkjs@0.7.6 circom2@0.2.23
npx circom2 multiplier.circom --r1cs --wasm -o .
npx snarkjs powersoftau new bn128 4 pot_0.ptau
npx snarkjs powersoftau contribute pot_0.ptau pot_1.ptau --name=first -e="shortcrust fixture entropy 1"
npx snarkjs powersoftau prepare phase2 pot_1.ptau pot_final.ptau
npx snarkjs groth16 setup multiplier.r1cs pot_final.ptau multiplier_0.zkey
npx snarkjs zkey contribute multiplier_0.zkey multiplier_final.zkey --name=second -e="shortcrust fixture entropy 2"
npx snarkjs zkey export verificationkey multiplier_final.zkey verification_key.json
node multiplier_js/generate_witness.js multiplier_js/multiplier.wasm input.json witness.wtns
npx snarkjs groth16 prove multiplier_final.zkey witness.wtns proof.json public.json
npx snarkjs groth16 verify verification_key.json public.json proof.json
cd - >/dev/null
cp "$work"/{verification_key.json,proof.json,public.json} .
