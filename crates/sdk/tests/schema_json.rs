//! The schema codec (`json` feature): parsing the schema the macro generates, and converting JSON
//! arguments and outputs to and from borsh, checked against borsh's own encoding of typed values.

use borsh::{BorshDeserialize, BorshSerialize};
use serde_json::json;
use shortcrust_sdk::encode;
use shortcrust_sdk::schema::{Schema, SchemaError, Type, from_hex, to_hex};

#[derive(BorshSerialize, BorshDeserialize, Debug, PartialEq)]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

shortcrust_sdk::entry_points! {
    fn transfer(to: [u8; 32], amount: u64) {
        let _ = (to, amount);
    }

    fn everything(
        flag: bool,
        small: i8,
        big: u128,
        name: String,
        blob: Vec<u8>,
        pairs: Vec<(u16, Option<i64>)>,
        outcome: Result<u32, String>,
        unit: (),
        point: Point,
    ) -> Option<Vec<String>> {
        let _ = (flag, small, big, name, blob, pairs, outcome, unit, point);
        None
    }

    fn origin() -> Point {
        Point { x: 0, y: 0 }
    }
}

fn schema() -> Schema {
    Schema::parse(SHORTCRUST_SCHEMA).expect("the generated schema parses")
}

#[test]
fn parses_generated_schema() {
    let schema = schema();
    let names: Vec<&str> = schema
        .entry_points
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(names, ["transfer", "everything", "origin"]);
    let transfer = schema.entry("transfer").unwrap();
    assert_eq!(transfer.args[0].ty, Type::Array(Box::new(Type::U8), 32));
    assert_eq!(transfer.returns, Type::Tuple(vec![]));
    let everything = schema.entry("everything").unwrap();
    assert_eq!(
        everything.args[5].ty,
        Type::Vec(Box::new(Type::Tuple(vec![
            Type::U16,
            Type::Option(Box::new(Type::I64))
        ])))
    );
    assert_eq!(everything.args[8].ty, Type::Opaque("Point".into()));
    assert!(matches!(
        schema.entry("nope"),
        Err(SchemaError::UnknownEntry(name)) if name == "nope"
    ));
}

#[test]
fn type_grammar() {
    for (text, shown) in [
        ("u64", "u64"),
        ("alloc::string::String", "String"),
        ("std::vec::Vec< u8 >", "Vec<u8>"),
        ("[ [u8; 4] ; 1_000 ]", "[[u8; 4]; 1000]"),
        ("(u8,)", "(u8,)"),
        ("(u8, (bool, i128),)", "(u8, (bool, i128))"),
        ("Result<Option<u8>, String>", "Result<Option<u8>, String>"),
        ("my::Thing<u8>", "my::Thing<u8>"),
    ] {
        let ty = Type::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(ty.to_string(), shown, "{text}");
        assert_eq!(Type::parse(shown).unwrap(), ty, "{shown} round-trips");
    }
    for bad in [
        "",
        "Vec<u8",
        "[u8; x]",
        "[u8 32]",
        "u64 u64",
        "u8<u8>",
        "(u8 bool)",
        "Result<u8>",
    ] {
        assert!(
            matches!(
                Type::parse(bad),
                Err(SchemaError::Type { .. }) | Ok(Type::Opaque(_))
            ),
            "{bad:?} must not parse as a known type"
        );
    }
    assert!(Type::parse("Vec<u8").is_err());
    assert!(Type::parse("[u8; x]").is_err());
    assert!(Type::parse("u8<u8>").is_err());
}

#[test]
fn json_arguments_encode_like_borsh() {
    let schema = schema();
    let to = [0xabu8; 32];
    let expected = encode(&(to, 1_000_000u64));
    let transfer = schema.entry("transfer").unwrap();
    // Positional, by name, and with a large integer as a string: all the same bytes.
    let hex_to = to_hex(&to);
    assert_eq!(
        transfer.encode_args(&json!([hex_to, 1_000_000])).unwrap(),
        expected
    );
    assert_eq!(
        transfer
            .encode_args(&json!({"amount": "1000000", "to": format!("0x{hex_to}")}))
            .unwrap(),
        expected
    );

    let everything = schema.entry("everything").unwrap();
    let args = json!([
        true,
        -5,
        "340282366920938463463374607431768211455",
        "héllo",
        "00ff10",
        [[1, null], [65535, -9007199254740993i64]],
        {"Err": "nope"},
        null,
        to_hex(&encode(&Point { x: -1, y: 2 })),
    ]);
    let typed = (
        true,
        -5i8,
        u128::MAX,
        "héllo".to_string(),
        vec![0u8, 0xff, 0x10],
        vec![
            (1u16, None::<i64>),
            (65535u16, Some(-9_007_199_254_740_993i64)),
        ],
        Err::<u32, String>("nope".into()),
        (),
        Point { x: -1, y: 2 },
    );
    assert_eq!(everything.encode_args(&args).unwrap(), encode(&typed));
}

#[test]
fn outputs_decode_to_json() {
    let schema = schema();
    let everything = schema.entry("everything").unwrap();
    assert_eq!(
        everything
            .decode_output(&encode(&None::<Vec<String>>))
            .unwrap(),
        json!(null)
    );
    assert_eq!(
        everything
            .decode_output(&encode(&Some(vec!["a".to_string(), "b".to_string()])))
            .unwrap(),
        json!(["a", "b"])
    );
    // An opaque return value comes back as the hex of its bytes.
    let origin = schema.entry("origin").unwrap();
    assert_eq!(
        origin
            .decode_output(&encode(&Point { x: 1, y: 0 }))
            .unwrap(),
        json!("0100000000000000")
    );
    // Wide integers: numbers while exact in a double, strings beyond.
    let wide = Type::parse("(u64, u64, i64, Result<u128, ()>)").unwrap();
    let bytes = encode(&(1u64 << 53, (1u64 << 53) - 1, i64::MIN, Ok::<u128, ()>(7)));
    assert_eq!(
        shortcrust_sdk::schema::decode_exact(&wide, &bytes).unwrap(),
        json!(["9007199254740992", 9007199254740991u64, "-9223372036854775808", {"Ok": 7}])
    );
}

#[test]
fn malformed_outputs_are_refused() {
    let u32_ty = Type::parse("u32").unwrap();
    let decode = shortcrust_sdk::schema::decode_exact;
    assert!(matches!(
        decode(&u32_ty, &[1, 2, 3]),
        Err(SchemaError::Output { .. })
    ));
    assert!(
        matches!(decode(&u32_ty, &[1, 2, 3, 4, 5]), Err(SchemaError::Output { reason, .. }) if reason.contains("left over"))
    );
    assert!(decode(&Type::Bool, &[2]).is_err());
    assert!(decode(&Type::parse("Option<u8>").unwrap(), &[3, 0]).is_err());
    assert!(decode(&Type::String, &[2, 0, 0, 0, 0xff, 0xfe]).is_err());
    // A forged length does not allocate: it runs out of bytes.
    assert!(decode(&Type::parse("Vec<u64>").unwrap(), &[0xff, 0xff, 0xff, 0xff]).is_err());
}

#[test]
fn bad_arguments_are_refused_precisely() {
    let schema = schema();
    let transfer = schema.entry("transfer").unwrap();
    let to = to_hex(&[1u8; 32]);
    let err = |args: serde_json::Value| transfer.encode_args(&args).unwrap_err();

    assert!(matches!(
        err(json!([to])),
        SchemaError::ArgCount {
            expected: 2,
            got: 1,
            ..
        }
    ));
    assert!(matches!(err(json!({"to": to})), SchemaError::MissingArg(name) if name == "amount"));
    assert!(
        matches!(err(json!({"to": to, "amount": 1, "memo": 2})), SchemaError::UnknownArg(name) if name == "memo")
    );
    assert!(matches!(err(json!([to, -1])), SchemaError::Value { path, .. } if path == "amount"));
    assert!(matches!(
        err(json!([to, "18446744073709551616"])),
        SchemaError::Value { .. }
    ));
    assert!(matches!(err(json!([to, 1.5])), SchemaError::Value { .. }));
    assert!(
        matches!(err(json!(["abcd", 1])), SchemaError::Value { expected, .. } if expected.contains("32 bytes"))
    );
    assert!(matches!(err(json!(["zz", 1])), SchemaError::Value { .. }));
    assert!(matches!(err(json!("bare")), SchemaError::ArgsShape(_)));

    // An opaque type anywhere but last cannot be delimited.
    let opaque_first = Schema::parse(
        r#"{"schema_version":1,"entry_points":[{"name":"f","args":[{"name":"a","type":"Thing"},{"name":"b","type":"u8"}],"returns":"()"}]}"#,
    )
    .unwrap();
    assert!(matches!(
        opaque_first
            .entry("f")
            .unwrap()
            .encode_args(&json!(["00", 1])),
        Err(SchemaError::OpaqueNotLast { .. })
    ));
}

#[test]
fn schema_documents_are_checked() {
    assert!(matches!(Schema::parse("{"), Err(SchemaError::Json(_))));
    assert!(matches!(
        Schema::parse(r#"{"schema_version":2,"entry_points":[]}"#),
        Err(SchemaError::Version(2))
    ));
    assert!(matches!(
        Schema::parse(r#"{"schema_version":1}"#),
        Err(SchemaError::Field("entry_points"))
    ));
    assert!(matches!(
        Schema::parse(
            r#"{"schema_version":1,"entry_points":[{"name":"f","args":[],"returns":"Vec<"}]}"#
        ),
        Err(SchemaError::Type { .. })
    ));
}

#[test]
fn hex_helpers() {
    assert_eq!(to_hex(&[0, 0xab, 0x10]), "00ab10");
    assert_eq!(from_hex("0x00AB10"), Some(vec![0, 0xab, 0x10]));
    assert_eq!(from_hex("abc"), None);
    assert_eq!(from_hex("gg"), None);
    assert_eq!(from_hex(""), Some(vec![]));
}
