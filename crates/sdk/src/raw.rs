//! The raw host-function imports, generated from the ABI table.
//!
//! Every function of [`shortcrust_abi::for_each_host_function!`] becomes one `extern "C"` import of
//! the `shortcrust_v1` module on wasm32 — never a hand-written list, so a signature can't drift
//! from what the VM links. Calling them is `unsafe`: pointers are raw offsets into linear memory.
//! Prefer the safe wrappers of the crate root.
//!
//! On other targets (the SDK is also built on the host by `cargo test --workspace`) the same
//! functions exist with the same signatures but panic: there is no host to call outside a contract.

/// The import module name, spelled as a literal because `#[link(wasm_import_module)]` takes no
/// constant. A test asserts it equals [`shortcrust_abi::IMPORT_MODULE`].
pub const IMPORT_MODULE_LITERAL: &str = "shortcrust_v1";

const _: () = assert!(crate::util::const_str_eq(
    IMPORT_MODULE_LITERAL,
    shortcrust_abi::IMPORT_MODULE
));

macro_rules! declare_imports {
    ($(
        #[since = $since:literal, gas = $gas:ident]
        $(#[doc = $doc:literal])*
        fn $name:ident($($arg:ident: $ty:ident),*) $(-> $ret:ident)?;
    )*) => {
        #[cfg(target_arch = "wasm32")]
        #[link(wasm_import_module = "shortcrust_v1")]
        unsafe extern "C" {
            $(
                $(#[doc = $doc])*
                #[doc = concat!("\n\nSince protocol version ", stringify!($since),
                    "; priced under `GasKey::", stringify!($gas), "`.")]
                pub fn $name($($arg: $ty),*) $(-> $ret)?;
            )*
        }

        $(
            $(#[doc = $doc])*
            #[doc = concat!("\n\nSince protocol version ", stringify!($since),
                "; priced under `GasKey::", stringify!($gas), "`.")]
            ///
            /// # Safety
            /// Host build: never callable (always panics). See the wasm32 import.
            #[cfg(not(target_arch = "wasm32"))]
            #[allow(clippy::too_many_arguments, reason = "mirrors the ABI signature")]
            pub unsafe fn $name($($arg: $ty),*) $(-> $ret)? {
                $(let _ = $arg;)*
                only_in_contract(stringify!($name))
            }
        )*

        /// Names of every import this SDK declares, in ABI order (for tests).
        #[cfg(test)]
        pub(crate) const DECLARED: &[&str] = &[$(stringify!($name)),*];
    };
}

shortcrust_abi::for_each_host_function!(declare_imports);

#[cfg(not(target_arch = "wasm32"))]
#[cold]
fn only_in_contract(name: &str) -> ! {
    panic!("host function `{name}` can only be called from a contract running in the Shortcrust VM")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_module_literal_matches_abi() {
        assert_eq!(IMPORT_MODULE_LITERAL, shortcrust_abi::IMPORT_MODULE);
    }

    #[test]
    fn every_abi_function_is_declared() {
        let abi: Vec<&str> = shortcrust_abi::HOST_FUNCTIONS
            .iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(DECLARED, abi.as_slice());
    }

    #[test]
    #[should_panic(expected = "can only be called from a contract")]
    fn host_build_refuses_to_call() {
        // SAFETY: on the host the function only panics; no memory is touched.
        unsafe { input_len() };
    }
}
