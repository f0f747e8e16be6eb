//! The [`entry_points!`](crate::entry_points) macro and the helpers its expansion calls.

/// Declares a contract's entry points.
///
/// ```
/// shortcrust_sdk::entry_points! {
///     /// Adds `by` to the counter and returns the new value.
///     fn increment(by: u64) -> u64 {
///         let value = shortcrust_sdk::storage::get_or(b"count", 0u64) + by;
///         shortcrust_sdk::storage::set(b"count", &value);
///         value
///     }
///
///     fn get() -> u64 {
///         shortcrust_sdk::storage::get_or(b"count", 0u64)
///     }
/// }
///
/// # fn main() {
/// assert_eq!(
///     SHORTCRUST_SCHEMA,
///     r#"{"schema_version":1,"entry_points":[{"name":"increment","args":[{"name":"by","type":"u64"}],"returns":"u64"},{"name":"get","args":[],"returns":"u64"}]}"#
/// );
/// # }
/// ```
///
/// For each `fn` this expands to:
/// - the function itself, unchanged, so contract logic can also be unit-tested on the host;
/// - on wasm32, an exported `() -> ()` wasm function of the same name that reads the call's input,
///   decodes it as the borsh encoding of the argument tuple `(by,)` — which is simply the
///   arguments' encodings concatenated — calls the function and writes the borsh encoding of its
///   return value as the call's output (nothing for `()`). Input that does not decode, or that has
///   bytes left over, reverts with `invalid input for entry point `increment`: expected the borsh
///   encoding of (u64)`.
///
/// It also defines `pub const SHORTCRUST_SCHEMA: &str`, the JSON description of the entry points
/// (format in the [crate docs](crate#the-schema-custom-section)), and on wasm32 embeds it in the
/// custom section [`shortcrust_abi::SCHEMA_SECTION`].
///
/// Use the macro once per contract, at the crate root. Arguments are plain identifiers (write
/// `let mut x = x;` in the body to mutate one); names are at most
/// [`shortcrust_abi::limits::MAX_ENTRY_NAME_LEN`] bytes, checked at compile time. An entry point may
/// share its name with a host function (`owner`, say): rustc gives imports of a named wasm module
/// their own symbols, so the export does not capture the import.
///
/// # Events
///
/// An optional `events { ... }` block first declares the contract's event types:
///
/// ```
/// shortcrust_sdk::entry_points! {
///     events {
///         /// Tokens moved.
///         transfer { from: [u8; 32], to: [u8; 32], amount: u64 }
///     }
///
///     fn pay(to: [u8; 32], amount: u64) {
///         transfer { from: [0; 32], to, amount }.emit();
///     }
/// }
/// # fn main() {
/// assert!(SHORTCRUST_SCHEMA.ends_with(
///     r#""events":[{"name":"transfer","fields":[{"name":"from","type":"[u8; 32]"},{"name":"to","type":"[u8; 32]"},{"name":"amount","type":"u64"}]}]}"#
/// ));
/// # }
/// ```
///
/// Each becomes a struct of that name with public fields (borsh-encodable) whose `emit()` emits
/// an event with the name as topic and the borsh encoding of the fields (in order) as data, and
/// the schema lists it under `events`, so tools show events decoded by name and field.
#[macro_export]
macro_rules! entry_points {
    (
        events {
            $(
                $(#[$eattr:meta])*
                $ename:ident { $($field:ident : $fty:ty),* $(,)? }
            )*
        }
        $($rest:tt)*
    ) => {
        $(
            $(#[$eattr])*
            #[allow(non_camel_case_types)]
            #[derive(Clone, Debug, PartialEq, Eq, $crate::borsh::BorshSerialize, $crate::borsh::BorshDeserialize)]
            #[borsh(crate = "shortcrust_sdk::borsh")]
            pub struct $ename {
                $(pub $field: $fty),*
            }

            impl $ename {
                /// Emits this event: the topic is the event's name, the data the borsh encoding
                /// of its fields in order.
                pub fn emit(&self) {
                    $crate::emit(stringify!($ename), self)
                }
            }
        )*
        $crate::__entry_points! {
            [",\"events\":[", $crate::__json_join!($(
                concat!(
                    "{\"name\":\"", stringify!($ename), "\",\"fields\":[",
                    $crate::__json_join!($(
                        concat!("{\"name\":\"", stringify!($field), "\",\"type\":\"", stringify!($fty), "\"}")
                    ),*),
                    "]}"
                )
            ),*), "]"]
            $($rest)*
        }
    };
    ($($rest:tt)*) => {
        $crate::__entry_points! { [""] $($rest)* }
    };
}

/// The expansion of [`entry_points!`](crate::entry_points), given the events' JSON.
#[doc(hidden)]
#[macro_export]
macro_rules! __entry_points {
    ([$($events:tt)*] $(
        $(#[$attr:meta])*
        $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)? $body:block
    )*) => {
        $(
            $(#[$attr])*
            // An entry point's arguments are its ABI: as many as the contract needs.
            #[allow(clippy::too_many_arguments)]
            $vis fn $name($($arg: $ty),*) $(-> $ret)? $body
        )*

        /// The exported wasm functions, one `() -> ()` per entry point.
        #[cfg(target_arch = "wasm32")]
        #[doc(hidden)]
        mod __shortcrust_exports {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[unsafe(no_mangle)]
                pub extern "C" fn $name() {
                    let ($($arg,)*): ($($ty,)*) = $crate::__private::decode_input(concat!(
                        "invalid input for entry point `", stringify!($name),
                        "`: expected the borsh encoding of (", stringify!($($ty),*), ")"
                    ));
                    let output = super::$name($($arg),*);
                    $crate::__private::set_output(&output);
                }
            )*
        }

        $(
            const _: () = {
                assert!(
                    stringify!($name).len() <= $crate::__private::MAX_ENTRY_NAME_LEN,
                    concat!("entry point name `", stringify!($name), "` is too long")
                );
            };
        )*

        /// JSON description of this contract's entry points, also embedded in the wasm custom
        /// section `shortcrust-schema` (see the `shortcrust_sdk` docs for the format).
        pub const SHORTCRUST_SCHEMA: &str = concat!(
            "{\"schema_version\":1,\"entry_points\":[",
            $crate::__json_join!($(
                concat!(
                    "{\"name\":\"", stringify!($name), "\",\"args\":[",
                    $crate::__json_join!($(
                        concat!("{\"name\":\"", stringify!($arg), "\",\"type\":\"", stringify!($ty), "\"}")
                    ),*),
                    "],\"returns\":\"", $crate::__schema_returns!($($ret)?), "\"}"
                )
            ),*),
            "]", $($events)*, "}"
        );

        #[cfg(target_arch = "wasm32")]
        #[used]
        #[unsafe(link_section = "shortcrust-schema")]
        static __SHORTCRUST_SCHEMA_SECTION: [u8; SHORTCRUST_SCHEMA.len()] =
            $crate::__private::to_byte_array(SHORTCRUST_SCHEMA);
    };
}

/// Joins string literals with commas, at compile time.
#[doc(hidden)]
#[macro_export]
macro_rules! __json_join {
    () => { "" };
    ($first:expr $(, $rest:expr)*) => { concat!($first $(, ",", $rest)*) };
}

/// The schema's `returns` string: the return type as written, or `()`.
#[doc(hidden)]
#[macro_export]
macro_rules! __schema_returns {
    () => {
        "()"
    };
    ($ret:ty) => {
        stringify!($ret)
    };
}

/// What the expansion of [`entry_points!`](crate::entry_points) calls. Not a public API.
#[doc(hidden)]
pub mod __private {
    use borsh::{BorshDeserialize, BorshSerialize};

    pub const MAX_ENTRY_NAME_LEN: usize = shortcrust_abi::limits::MAX_ENTRY_NAME_LEN as usize;

    /// Decodes the call's input as `T`, reverting with `error` if it is not exactly one canonical
    /// encoding of `T`.
    pub fn decode_input<T: BorshDeserialize>(error: &'static str) -> T {
        let input = if crate::input_len() == 0 {
            alloc::vec::Vec::new()
        } else {
            crate::input()
        };
        decode_or_revert(&input, error)
    }

    /// Decodes `bytes` as `T` (all of them), reverting with `error` otherwise.
    pub fn decode_or_revert<T: BorshDeserialize>(bytes: &[u8], error: &'static str) -> T {
        match borsh::from_slice(bytes) {
            Ok(value) => value,
            Err(_) => crate::revert(error),
        }
    }

    /// Writes the borsh encoding of an entry point's return value as the call's output; nothing
    /// for an empty encoding (such as `()`), which saves the host call.
    pub fn set_output<T: BorshSerialize>(value: &T) {
        let bytes = crate::encode(value);
        if !bytes.is_empty() {
            crate::output(&bytes);
        }
    }

    /// Copies a string into a byte array of its exact length (for a `static` in a custom section).
    pub const fn to_byte_array<const N: usize>(s: &str) -> [u8; N] {
        let bytes = s.as_bytes();
        assert!(bytes.len() == N, "length mismatch");
        let mut out = [0u8; N];
        let mut i = 0;
        while i < N {
            out[i] = bytes[i];
            i += 1;
        }
        out
    }
}
