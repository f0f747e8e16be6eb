//! Host-side tests of what `entry_points!` generates: the functions themselves, the schema JSON,
//! and the argument encoding the exported wrappers decode.

use borsh::{BorshDeserialize, BorshSerialize};
use serde_json::json;
use shortcrust_sdk::{__private, encode};

/// A contract-defined type, opaque to tools.
#[derive(BorshSerialize, BorshDeserialize, Debug, PartialEq)]
pub struct Order {
    pub price: u64,
    pub quantity: u32,
}

shortcrust_sdk::entry_points! {
    /// Adds to a number.
    fn add(a: u64, b: u64) -> u64 {
        a + b
    }

    fn nothing() {}

    pub fn mixed(
        id: [u8; 32],
        payload: Vec<u8>,
        label: String,
        maybe: Option<(u64, bool)>,
        order: Order,
    ) -> Result<Vec<u8>, String> {
        let _ = (id, label, maybe, order);
        Ok(payload)
    }

    fn make_order(price: u64) -> Order {
        Order { price, quantity: 1 }
    }
}

#[test]
fn entry_points_stay_plain_functions() {
    assert_eq!(add(2, 3), 5);
    nothing();
    assert_eq!(
        mixed(
            [0; 32],
            vec![1, 2],
            "x".into(),
            None,
            Order {
                price: 1,
                quantity: 2
            }
        ),
        Ok(vec![1, 2])
    );
    assert_eq!(
        make_order(9),
        Order {
            price: 9,
            quantity: 1
        }
    );
}

#[test]
fn schema_lists_entry_points_and_types_in_order() {
    let schema: serde_json::Value =
        serde_json::from_str(SHORTCRUST_SCHEMA).expect("the schema is valid JSON");
    assert_eq!(
        schema,
        json!({
            "schema_version": 1,
            "entry_points": [
                {"name": "add", "args": [
                    {"name": "a", "type": "u64"},
                    {"name": "b", "type": "u64"}
                ], "returns": "u64"},
                {"name": "nothing", "args": [], "returns": "()"},
                {"name": "mixed", "args": [
                    {"name": "id", "type": "[u8; 32]"},
                    {"name": "payload", "type": "Vec<u8>"},
                    {"name": "label", "type": "String"},
                    {"name": "maybe", "type": "Option<(u64, bool)>"},
                    {"name": "order", "type": "Order"}
                ], "returns": "Result<Vec<u8>, String>"},
                {"name": "make_order", "args": [{"name": "price", "type": "u64"}], "returns": "Order"}
            ]
        })
    );
}

#[test]
fn schema_section_bytes_are_the_json() {
    let bytes: [u8; SHORTCRUST_SCHEMA.len()] = __private::to_byte_array(SHORTCRUST_SCHEMA);
    assert_eq!(&bytes[..], SHORTCRUST_SCHEMA.as_bytes());
}

#[test]
fn input_is_the_argument_tuple_encoding() {
    // What a caller sends to `add(7, 9)`: the two u64s, little-endian, back to back.
    let input = encode(&(7u64, 9u64));
    assert_eq!(input, [7, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0]);
    let (a, b): (u64, u64) = __private::decode_or_revert(&input, "unused");
    assert_eq!(add(a, b), 16);

    // One argument: the tuple `(x,)` encodes exactly like `x`.
    assert_eq!(encode(&(5u64,)), encode(&5u64));
    // No argument: empty input.
    assert!(encode(&()).is_empty());
    let (): () = __private::decode_or_revert(&[], "unused");

    // Strings and vectors carry a u32 little-endian length prefix.
    assert_eq!(encode(&"ab".to_string()), [2, 0, 0, 0, b'a', b'b']);
    assert_eq!(encode(&(vec![9u8], true)), [1, 0, 0, 0, 9, 1]);
}

#[test]
fn output_decodes_back() {
    let order = Order {
        price: 1_000,
        quantity: 3,
    };
    let bytes = encode(&order);
    assert_eq!(bytes.len(), 12);
    assert_eq!(borsh::from_slice::<Order>(&bytes).unwrap(), order);
}

// On the host, reverting panics (there is no VM to abort the frame), which lets these tests observe
// that malformed input is refused rather than decoded.

#[test]
#[should_panic(expected = "can only be called from a contract")]
fn trailing_bytes_are_refused() {
    let mut input = encode(&(7u64, 9u64));
    input.push(0);
    let _: (u64, u64) = __private::decode_or_revert(&input, "invalid input");
}

#[test]
#[should_panic(expected = "can only be called from a contract")]
fn truncated_input_is_refused() {
    let _: (u64, u64) = __private::decode_or_revert(&[1, 2, 3], "invalid input");
}

#[test]
#[should_panic(expected = "can only be called from a contract")]
fn non_canonical_bool_is_refused() {
    // borsh accepts only 0 and 1 for a bool: one encoding per value.
    let _: (bool,) = __private::decode_or_revert(&[2], "invalid input");
}
