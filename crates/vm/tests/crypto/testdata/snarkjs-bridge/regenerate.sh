#!/usr/bin/env bash
# Regenerates this fixture from scratch (new randomness, so new bytes): needs node + npm.
# Run from this directory. Pins the tool versions the committed files were made with.
set -euo pipefail
work=$(mktemp -d)
cp deposit.circom input.json input_same_secret_bob.json "$work/"
cd "$work"
npm init -y >/dev/null
npm install --silent snarkjs@0.7.6 circom2@0.2.23 circomlib@2.0.5
npx circom2 deposit.circom --r1cs --wasm -l node_modules -o .
npx snarkjs powersoftau new bn128 10 pot_0.ptau
npx snarkjs powersoftau contribute pot_0.ptau pot_1.ptau --name=first -e="shortcrust bridge fixture entropy 1"
npx snarkjs powersoftau prepare phase2 pot_1.ptau pot_final.ptau
npx snarkjs groth16 setup deposit.r1cs pot_final.ptau deposit_0.zkey
npx snarkjs zkey contribute deposit_0.zkey deposit_final.zkey --name=second -e="shortcrust bridge fixture entropy 2"
npx snarkjs zkey export verificationkey deposit_final.zkey verification_key.json
for case in "" _same_secret_bob; do
  node deposit_js/generate_witness.js deposit_js/deposit.wasm "input$case.json" "witness$case.wtns"
  npx snarkjs groth16 prove deposit_final.zkey "witness$case.wtns" "proof$case.json" "public$case.json"
  npx snarkjs groth16 verify verification_key.json "public$case.json" "proof$case.json"
done
cd - >/dev/null
cp "$work"/{verification_key.json,proof.json,public.json,proof_same_secret_bob.json,public_same_secret_bob.json} .
