//! Cryptographic host functions: bounds-check the guest's buffers, charge the price computed by
//! `shortcrust-crypto` from their sizes (plus the fixed host-call cost), then run the native code
//! on the guest's bytes in place (no copy).

use shortcrust_crypto as crypto;
use wasmtime::Caller;

use super::{FrameData, HostResult, charge, range, write};
use crate::gas::HOST_CALL_BASE;

fn len(l: i32) -> usize {
    l as u32 as usize
}

/// Runs `f` on `N` guest buffers, each bounds-checked.
fn with_slices<const N: usize, R>(
    caller: &mut Caller<'_, FrameData>,
    buffers: [(i32, i32); N],
    f: impl FnOnce([&[u8]; N]) -> R,
) -> HostResult<R> {
    let mem = super::memory(caller)?;
    let data = mem.data(&*caller);
    let mut ranges = Vec::with_capacity(N);
    for (ptr, l) in buffers {
        ranges.push(range(ptr, l, data.len())?);
    }
    let slices: [&[u8]; N] = std::array::from_fn(|i| &data[ranges[i].clone()]);
    Ok(f(slices))
}

/// Charges a cryptographic host function whose `shortcrust_crypto` formula gives `gas`, at the
/// schedule's price of it (`Schedule::crypto_gas`).
fn charge_crypto(caller: &mut Caller<'_, FrameData>, gas: u64) -> HostResult<()> {
    let gas = caller
        .data()
        .env()
        .schedule
        .map_or(gas, |schedule| schedule.crypto_gas(gas));
    charge(caller, HOST_CALL_BASE.saturating_add(gas)).map(drop)
}

macro_rules! byte_hash {
    ($($name:ident => $gas:ident),* $(,)?) => {$(
        pub(crate) fn $name(mut caller: Caller<'_, FrameData>, ptr: i32, l: i32, out_ptr: i32) -> HostResult<()> {
            charge_crypto(&mut caller, crypto::$gas(len(l)))?;
            let digest = with_slices(&mut caller, [(ptr, l)], |[input]| crypto::$name(input))?;
            write(&mut caller, out_ptr, &digest)
        }
    )*};
}

byte_hash! {
    blake2b_256 => blake2b_256_gas,
    sha256 => sha256_gas,
    keccak256 => keccak256_gas,
    hash_to_scalar => hash_to_scalar_gas,
}

macro_rules! field_hash {
    ($($name:ident => $gas:ident),* $(,)?) => {$(
        pub(crate) fn $name(mut caller: Caller<'_, FrameData>, ptr: i32, l: i32, out_ptr: i32) -> HostResult<i32> {
            charge_crypto(&mut caller, crypto::$gas(len(l)))?;
            super::check_range(&mut caller, out_ptr, 32)?;
            match with_slices(&mut caller, [(ptr, l)], |[input]| crypto::$name(input))? {
                Ok(digest) => {
                    write(&mut caller, out_ptr, &digest)?;
                    Ok(shortcrust_abi::status::VALID)
                }
                Err(status) => Ok(status),
            }
        }
    )*};
}

field_hash! {
    poseidon_hash => poseidon_hash_gas,
    poseidon_bn254 => poseidon_bn254_gas,
}

macro_rules! verify3 {
    ($($name:ident => $gas:ident),* $(,)?) => {$(
        pub(crate) fn $name(
            mut caller: Caller<'_, FrameData>,
            a_ptr: i32, a_len: i32, b_ptr: i32, b_len: i32, c_ptr: i32, c_len: i32,
        ) -> HostResult<i32> {
            charge_crypto(&mut caller, crypto::$gas(len(a_len), len(b_len), len(c_len)))?;
            let status = with_slices(
                &mut caller,
                [(a_ptr, a_len), (b_ptr, b_len), (c_ptr, c_len)],
                |[a, b, c]| crypto::$name(a, b, c),
            )?;
            #[cfg(feature = "fault-injection")]
            let status = lie(&caller, stringify!($name), status);
            Ok(status)
        }
    )*};
}

/// What a host function configured to lie answers instead of `status` (test builds only,
/// see `VmConfig::faults`).
#[cfg(feature = "fault-injection")]
fn lie(caller: &Caller<'_, FrameData>, name: &str, status: i32) -> i32 {
    let faults = caller.data().tx.env.vm.faults;
    if name == "verify_groth16_bn254" && faults.groth16_accepts_everything {
        shortcrust_abi::status::VALID
    } else {
        status
    }
}

verify3! {
    verify_plonk => verify_plonk_gas,
    verify_groth16_bn254 => verify_groth16_bn254_gas,
    verify_schnorr => verify_schnorr_gas,
    verify_bip340 => verify_bip340_gas,
    verify_ed25519 => verify_ed25519_gas,
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn verify_bls(
    mut caller: Caller<'_, FrameData>,
    scheme: i32,
    pk_ptr: i32,
    pk_len: i32,
    msg_ptr: i32,
    msg_len: i32,
    sig_ptr: i32,
    sig_len: i32,
) -> HostResult<i32> {
    charge_crypto(
        &mut caller,
        crypto::verify_bls_gas(scheme, len(pk_len), len(msg_len), len(sig_len)),
    )?;
    with_slices(
        &mut caller,
        [(pk_ptr, pk_len), (msg_ptr, msg_len), (sig_ptr, sig_len)],
        |[pk, msg, sig]| crypto::verify_bls(scheme, pk, msg, sig),
    )
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn verify_bls_aggregate(
    mut caller: Caller<'_, FrameData>,
    scheme: i32,
    mode: i32,
    pks_ptr: i32,
    pks_len: i32,
    msgs_ptr: i32,
    msgs_len: i32,
    sig_ptr: i32,
    sig_len: i32,
) -> HostResult<i32> {
    charge_crypto(
        &mut caller,
        crypto::verify_bls_aggregate_gas(scheme, mode, len(pks_len), len(msgs_len), len(sig_len)),
    )?;
    with_slices(
        &mut caller,
        [(pks_ptr, pks_len), (msgs_ptr, msgs_len), (sig_ptr, sig_len)],
        |[pks, msgs, sig]| crypto::verify_bls_aggregate(scheme, mode, pks, msgs, sig),
    )
}
