//! `schema_json`: contract schemas and JSON arguments through the SDK's host-side codec
//! (`shortcrust_sdk::schema`, what the CLI's `call`/`query`/`run` use to turn `--args` JSON into
//! an entry point's borsh input and its output back into JSON).
//!
//! Two input modes, chosen by the low bit of the first byte:
//! - **raw** (odd): the rest is `schema JSON ‖ 0x00 ‖ arguments JSON ‖ 0x00 ‖ output bytes`,
//!   as text where it must be text; exercises the parsers on anything;
//! - **structured** (even): the rest drives an [`Unstructured`] that generates a well-formed
//!   schema (types spelled the ways `entry_points!` may spell them) and arguments that mostly
//!   conform to it, sometimes with arbitrary JSON in places.

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Value, json};
use shortcrust_sdk::schema::{EntryPoint, Schema, Type, decode_exact, encode, from_hex};

use crate::known_issues;

/// Deepest type the structured mode generates.
const MAX_TYPE_DEPTH: u32 = 4;

/// Checks, for `data` (see the module docs):
/// - parsing a schema, encoding arguments and decoding outputs return `Ok` or a `SchemaError`,
///   never panic;
/// - a generated schema parses to exactly the types it was generated from, and every parsed
///   type prints as text that parses back to the same type;
/// - arguments that encode decode back (as the tuple of the argument types) to JSON equivalent
///   to what was given — same numbers whether given as numbers or strings, same bytes whether
///   given as hex or as arrays — and that JSON re-encodes to the same bytes;
/// - an output that decodes re-encodes to the same bytes, for return types whose JSON form is
///   unambiguous (see [`json_is_lossless`]).
pub fn schema_json(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 1 {
        raw(rest);
    } else {
        let mut u = Unstructured::new(rest);
        let _ = structured(&mut u);
    }
}

/// The raw mode.
fn raw(data: &[u8]) {
    let mut parts = data.splitn(3, |b| *b == 0);
    let schema_text = parts.next().unwrap_or_default();
    let args_text = parts.next().unwrap_or_default();
    let output = parts.next().unwrap_or_default();
    let Ok(schema_text) = std::str::from_utf8(schema_text) else {
        return;
    };
    if known_issues::deep_type_overflows_the_stack(schema_text) {
        return;
    }
    let Ok(schema) = Schema::parse(schema_text) else {
        return;
    };
    let args = std::str::from_utf8(args_text)
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(text).ok());
    for entry in &schema.entry_points {
        for arg in &entry.args {
            check_type_prints_back(&arg.ty);
        }
        check_type_prints_back(&entry.returns);
        if let Some(args) = &args {
            check_args(entry, args);
        }
        check_output(entry, output);
    }
}

/// The structured mode.
fn structured(u: &mut Unstructured) -> Result<()> {
    let arg_count = u.int_in_range(0..=4)?;
    let arg_types = (0..arg_count)
        .map(|_| arb_type(u, 0))
        .collect::<Result<Vec<_>>>()?;
    let returns = arb_type(u, 0)?;
    let arg_names: Vec<String> = (0..arg_count).map(|i| format!("arg{i}")).collect();
    let mut args_json = Vec::new();
    for (name, ty) in arg_names.iter().zip(&arg_types) {
        args_json.push(json!({"name": name, "type": spell(ty, u)?}));
    }
    let schema_json = json!({
        "schema_version": 1,
        "entry_points": [{"name": "entry", "args": args_json, "returns": spell(&returns, u)?}],
    });
    let schema = Schema::parse(&schema_json.to_string())
        .unwrap_or_else(|e| panic!("a well-formed schema was refused: {e}\n{schema_json}"));
    let entry = &schema.entry_points[0];
    let parsed: Vec<&Type> = entry.args.iter().map(|a| &a.ty).collect();
    assert_eq!(
        parsed,
        arg_types.iter().collect::<Vec<_>>(),
        "argument types parsed differently from how they were spelled: {schema_json}"
    );
    assert_eq!(
        entry.returns, returns,
        "return type parsed differently: {schema_json}"
    );
    for ty in arg_types.iter().chain([&returns]) {
        check_type_prints_back(ty);
    }

    let values = arg_types
        .iter()
        .map(|ty| arb_value(ty, u))
        .collect::<Result<Vec<_>>>()?;
    let args = match u.int_in_range(0..=3)? {
        0 => Value::Object(arg_names.iter().cloned().zip(values).collect()),
        1 if arg_count == 1 => values.into_iter().next().unwrap_or(Value::Null),
        2 if arg_count == 0 => Value::Null,
        3 => arb_json(u, 0)?,
        _ => Value::Array(values),
    };
    check_args(entry, &args);
    let output_len = u.int_in_range(0..=64)?;
    let output = u.bytes(output_len)?;
    check_output(entry, output);
    Ok(())
}

/// A parsed type prints as text that parses back to it.
fn check_type_prints_back(ty: &Type) {
    let text = ty.to_string();
    match Type::parse(&text) {
        Ok(back) => assert_eq!(&back, ty, "`{text}` parses to another type"),
        Err(e) => panic!("the printed type `{text}` does not parse: {e}"),
    }
}

/// The argument values `encode_args` takes from `args`, by the rules it documents; `None` when
/// the shape is refused.
fn arg_values<'a>(entry: &EntryPoint, args: &'a Value) -> Option<Vec<&'a Value>> {
    match args {
        Value::Array(items) => Some(items.iter().collect()),
        Value::Object(map) => entry.args.iter().map(|a| map.get(&a.name)).collect(),
        Value::Null if entry.args.is_empty() => Some(Vec::new()),
        other if entry.args.len() == 1 => Some(vec![other]),
        _ => None,
    }
}

/// Encodes `args` for `entry`; when that succeeds, decodes and re-encodes.
fn check_args(entry: &EntryPoint, args: &Value) {
    let Ok(bytes) = entry.encode_args(args) else {
        return;
    };
    let types: Vec<Type> = entry.args.iter().map(|a| a.ty.clone()).collect();
    let values = arg_values(entry, args)
        .unwrap_or_else(|| panic!("arguments {args} encoded although their shape is refused"));
    assert_eq!(
        values.len(),
        types.len(),
        "encoded a wrong number of arguments"
    );
    let all = Type::Tuple(types.clone());
    if !tail_decodable(&all, true) {
        return;
    }
    let decoded = decode_exact(&all, &bytes)
        .unwrap_or_else(|e| panic!("encoded arguments {args} do not decode: {e}"));
    let decoded: Vec<Value> = match decoded {
        Value::Null if types.is_empty() => Vec::new(),
        Value::Array(items) => items,
        other => panic!("arguments decoded as {other}, not as a tuple"),
    };
    for ((ty, given), back) in types.iter().zip(&values).zip(&decoded) {
        assert!(
            equivalent(ty, given, back),
            "argument of type {ty} given as {given} decodes as {back}"
        );
    }
    let again = entry
        .encode_args(&Value::Array(decoded.clone()))
        .unwrap_or_else(|e| panic!("decoded arguments {decoded:?} do not encode: {e}"));
    assert_eq!(again, bytes, "decoded arguments re-encode differently");
}

/// Decodes `output` as `entry`'s return value; when that succeeds and the JSON form is lossless,
/// re-encodes it.
fn check_output(entry: &EntryPoint, output: &[u8]) {
    if known_issues::zero_sized_sequence(&entry.returns) {
        return;
    }
    let Ok(value) = entry.decode_output(output) else {
        return;
    };
    if !json_is_lossless(&entry.returns) {
        return;
    }
    let mut again = Vec::new();
    encode(&entry.returns, &value, "output", &mut again)
        .unwrap_or_else(|e| panic!("decoded output {value} does not encode: {e}"));
    assert_eq!(
        again, output,
        "output decoded as {value} re-encodes differently"
    );
}

/// Whether every byte string of `ty` maps to a distinct JSON value. Not the case when an
/// `Option` holds a type whose JSON can be `null` (`Option<()>`, `Option<Option<T>>`): `Some`
/// of such a `null` prints as `null`, like `None`.
pub fn json_is_lossless(ty: &Type) -> bool {
    match ty {
        Type::Option(inner) => !can_be_null(inner) && json_is_lossless(inner),
        Type::Vec(t) | Type::Array(t, _) => json_is_lossless(t),
        Type::Result(t, e) => json_is_lossless(t) && json_is_lossless(e),
        Type::Tuple(items) => items.iter().all(json_is_lossless),
        _ => true,
    }
}

fn can_be_null(ty: &Type) -> bool {
    matches!(ty, Type::Option(_)) || matches!(ty, Type::Tuple(items) if items.is_empty())
}

/// Whether bytes encoded from `ty` can be decoded back: an opaque type (which takes all the
/// bytes left) may only come last (`tail`), never inside a sequence. `encode_args` accepts an
/// opaque type anywhere inside the last argument — correct borsh, since each element is given
/// as its own bytes — but `Vec<Opaque>` of two elements cannot be split again.
fn tail_decodable(ty: &Type, tail: bool) -> bool {
    match ty {
        Type::Opaque(_) => tail,
        Type::Vec(t) | Type::Array(t, _) => !t.contains_opaque(),
        Type::Option(t) => tail_decodable(t, tail),
        Type::Result(t, e) => tail_decodable(t, tail) && tail_decodable(e, tail),
        Type::Tuple(items) => match items.split_last() {
            Some((last, init)) => {
                init.iter().all(|t| !t.contains_opaque()) && tail_decodable(last, tail)
            }
            None => true,
        },
        _ => true,
    }
}

/// An integer as the encoder reads it: a JSON integer or a decimal string.
fn integer(value: &Value) -> Option<i128> {
    match value {
        Value::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from)),
        Value::String(s) => s.trim().parse::<i128>().ok(),
        _ => None,
    }
}

/// A `u128` as the encoder reads it.
fn unsigned128(value: &Value) -> Option<u128> {
    match value {
        Value::Number(n) => n.as_u64().map(u128::from),
        Value::String(s) => s.trim().parse::<u128>().ok(),
        _ => None,
    }
}

/// Bytes as the encoder reads them: hex, or an array of integers.
fn bytes(value: &Value) -> Option<Vec<u8>> {
    match value {
        Value::String(s) => from_hex(s),
        Value::Array(items) => items
            .iter()
            .map(|v| integer(v).and_then(|n| u8::try_from(n).ok()))
            .collect(),
        _ => None,
    }
}

/// Whether `given` (what was encoded as `ty`) and `back` (what decoding gave) denote the same
/// value.
fn equivalent(ty: &Type, given: &Value, back: &Value) -> bool {
    match ty {
        Type::Bool | Type::String => given == back,
        Type::U128 => unsigned128(given).is_some() && unsigned128(given) == unsigned128(back),
        Type::U8
        | Type::U16
        | Type::U32
        | Type::U64
        | Type::I8
        | Type::I16
        | Type::I32
        | Type::I64
        | Type::I128 => integer(given).is_some() && integer(given) == integer(back),
        Type::Vec(t) | Type::Array(t, _) if **t == Type::U8 => {
            bytes(given).is_some() && bytes(given) == bytes(back)
        }
        Type::Vec(t) | Type::Array(t, _) => match (given, back) {
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equivalent(t, x, y))
            }
            _ => false,
        },
        Type::Option(t) => match (given, back) {
            (Value::Null, Value::Null) => true,
            (Value::Null, _) => false,
            _ => equivalent(t, given, back),
        },
        Type::Result(ok, err) => match (given, back) {
            (Value::Object(a), Value::Object(b)) if a.len() == 1 && b.len() == 1 => {
                match (a.iter().next(), b.iter().next()) {
                    (Some((ka, va)), Some((kb, vb))) if ka == kb && ka == "Ok" => {
                        equivalent(ok, va, vb)
                    }
                    (Some((ka, va)), Some((kb, vb))) if ka == kb && ka == "Err" => {
                        equivalent(err, va, vb)
                    }
                    _ => false,
                }
            }
            _ => false,
        },
        Type::Tuple(items) if items.is_empty() => given.is_null() && back.is_null(),
        Type::Tuple(items) => match (given, back) {
            (Value::Array(a), Value::Array(b)) => {
                a.len() == items.len()
                    && b.len() == items.len()
                    && items
                        .iter()
                        .zip(a.iter().zip(b))
                        .all(|(t, (x, y))| equivalent(t, x, y))
            }
            _ => false,
        },
        Type::Opaque(_) => bytes(given).is_some() && bytes(given) == bytes(back),
    }
}

/// Names of contract-defined types (opaque to the codec).
const OPAQUE_NAMES: &[&str] = &[
    "Transfer",
    "my_contract::Order",
    "crate::types::Proof<u8>",
    "Wrapper<Vec<u8>, u64>",
];

/// An arbitrary schema type, at most [`MAX_TYPE_DEPTH`] deep.
fn arb_type(u: &mut Unstructured, depth: u32) -> Result<Type> {
    let leaves = 13;
    let choices = if depth >= MAX_TYPE_DEPTH {
        leaves
    } else {
        leaves + 6
    };
    Ok(match u.choose_index(choices)? {
        0 => Type::Bool,
        1 => Type::U8,
        2 => Type::U16,
        3 => Type::U32,
        4 => Type::U64,
        5 => Type::U128,
        6 => Type::I8,
        7 => Type::I16,
        8 => Type::I32,
        9 => Type::I64,
        10 => Type::I128,
        11 => Type::String,
        12 => Type::Opaque((*u.choose(OPAQUE_NAMES)?).to_string()),
        13 => Type::Vec(Box::new(arb_type(u, depth + 1)?)),
        14 => Type::Array(Box::new(arb_type(u, depth + 1)?), u.int_in_range(0..=4)?),
        15 => Type::Option(Box::new(arb_type(u, depth + 1)?)),
        16 => Type::Result(
            Box::new(arb_type(u, depth + 1)?),
            Box::new(arb_type(u, depth + 1)?),
        ),
        17 => Type::Tuple(Vec::new()),
        _ => {
            let n = u.int_in_range(1..=3)?;
            Type::Tuple(
                (0..n)
                    .map(|_| arb_type(u, depth + 1))
                    .collect::<Result<_>>()?,
            )
        }
    })
}

/// `ty` spelled as `std::any::type_name` or a person might: with or without module paths, with
/// arbitrary spaces where the grammar allows them.
fn spell(ty: &Type, u: &mut Unstructured) -> Result<String> {
    let sp = |u: &mut Unstructured| -> Result<&'static str> {
        Ok(if u.ratio(1, 4)? { " " } else { "" })
    };
    Ok(match ty {
        Type::String => {
            let path = *u.choose(&["String", "alloc::string::String", "std::string::String"])?;
            path.to_string()
        }
        Type::Vec(t) => {
            let path = *u.choose(&["Vec", "alloc::vec::Vec", "std::vec::Vec"])?;
            format!("{path}{}<{}{}>", sp(u)?, spell(t, u)?, sp(u)?)
        }
        Type::Option(t) => {
            let path = *u.choose(&["Option", "core::option::Option"])?;
            format!("{path}<{}{}>", spell(t, u)?, sp(u)?)
        }
        Type::Result(t, e) => {
            let path = *u.choose(&["Result", "core::result::Result"])?;
            format!("{path}<{},{}{}>", spell(t, u)?, sp(u)?, spell(e, u)?)
        }
        Type::Array(t, n) => format!("[{}{};{}{n}]", spell(t, u)?, sp(u)?, sp(u)?),
        Type::Tuple(items) if items.is_empty() => "()".to_string(),
        Type::Tuple(items) => {
            let mut out = String::from("(");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                    out.push_str(sp(u)?);
                }
                out.push_str(&spell(item, u)?);
            }
            if items.len() == 1 || u.ratio(1, 4)? {
                out.push(',');
            }
            out.push(')');
            out
        }
        other => {
            let name = other.to_string();
            if !matches!(other, Type::Opaque(_)) && u.ratio(1, 8)? {
                format!("core::primitive::{name}")
            } else {
                name
            }
        }
    })
}

/// A JSON value for `ty`: mostly one the encoder should accept (in any of its accepted forms),
/// sometimes one out of range or of the wrong kind, sometimes arbitrary JSON.
fn arb_value(ty: &Type, u: &mut Unstructured) -> Result<Value> {
    if u.ratio(1, 16)? {
        return arb_json(u, 0);
    }
    let int = |u: &mut Unstructured, n: i128| -> Result<Value> {
        Ok(match u.int_in_range(0..=3)? {
            0 if i64::try_from(n).is_ok() => Value::from(n as i64),
            1 if u64::try_from(n).is_ok() => Value::from(n as u64),
            2 => Value::String(format!(" {n}")),
            _ => Value::String(n.to_string()),
        })
    };
    let ranged = |u: &mut Unstructured, lo: i128, hi: i128| -> Result<i128> {
        // Mostly in range, sometimes one past either end.
        Ok(match u.int_in_range(0..=15)? {
            0 => lo.saturating_sub(1),
            1 => hi.saturating_add(1),
            2 => lo,
            3 => hi,
            _ => u.int_in_range(lo..=hi)?,
        })
    };
    Ok(match ty {
        Type::Bool => Value::Bool(u.arbitrary()?),
        Type::U8 => {
            let n = ranged(u, 0, u8::MAX.into())?;
            int(u, n)?
        }
        Type::U16 => {
            let n = ranged(u, 0, u16::MAX.into())?;
            int(u, n)?
        }
        Type::U32 => {
            let n = ranged(u, 0, u32::MAX.into())?;
            int(u, n)?
        }
        Type::U64 => {
            let n = ranged(u, 0, u64::MAX.into())?;
            int(u, n)?
        }
        Type::I8 => {
            let n = ranged(u, i8::MIN.into(), i8::MAX.into())?;
            int(u, n)?
        }
        Type::I16 => {
            let n = ranged(u, i16::MIN.into(), i16::MAX.into())?;
            int(u, n)?
        }
        Type::I32 => {
            let n = ranged(u, i32::MIN.into(), i32::MAX.into())?;
            int(u, n)?
        }
        Type::I64 => {
            let n = ranged(u, i64::MIN.into(), i64::MAX.into())?;
            int(u, n)?
        }
        Type::I128 => {
            let n = ranged(u, i128::MIN, i128::MAX)?;
            int(u, n)?
        }
        Type::U128 => {
            let n: u128 = u.arbitrary()?;
            match u.int_in_range(0..=2)? {
                0 if n <= u128::from(u64::MAX) => Value::from(n as u64),
                1 => Value::String(format!("{n} ")),
                _ => Value::String(n.to_string()),
            }
        }
        Type::String => Value::String(u.arbitrary()?),
        Type::Vec(t) | Type::Array(t, _) if **t == Type::U8 => {
            let len = match ty {
                Type::Array(_, n) if !u.ratio(1, 8)? => *n,
                _ => u.int_in_range(0..=8)?,
            };
            let b = u.bytes(len)?;
            match u.int_in_range(0..=2)? {
                0 => Value::String(format!("0x{}", hex(b))),
                1 => Value::String(hex(b).to_uppercase()),
                _ => Value::Array(b.iter().map(|x| Value::from(*x)).collect()),
            }
        }
        Type::Vec(t) => {
            let n = u.int_in_range(0..=3)?;
            Value::Array((0..n).map(|_| arb_value(t, u)).collect::<Result<_>>()?)
        }
        Type::Array(t, n) => {
            let n = if u.ratio(1, 8)? { n + 1 } else { *n };
            Value::Array((0..n).map(|_| arb_value(t, u)).collect::<Result<_>>()?)
        }
        Type::Option(t) => {
            if u.arbitrary()? {
                Value::Null
            } else {
                arb_value(t, u)?
            }
        }
        Type::Result(ok, err) => {
            let (key, t) = if u.arbitrary()? {
                ("Ok", ok)
            } else {
                ("Err", err)
            };
            Value::Object(Map::from_iter([(key.to_string(), arb_value(t, u)?)]))
        }
        Type::Tuple(items) if items.is_empty() => Value::Null,
        Type::Tuple(items) => Value::Array(
            items
                .iter()
                .map(|t| arb_value(t, u))
                .collect::<Result<_>>()?,
        ),
        Type::Opaque(_) => {
            let len = u.int_in_range(0..=8)?;
            Value::String(hex(u.bytes(len)?))
        }
    })
}

/// Arbitrary JSON, at most four levels deep.
fn arb_json(u: &mut Unstructured, depth: u32) -> Result<Value> {
    let kinds = if depth >= 4 { 5 } else { 7 };
    Ok(match u.choose_index(kinds)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::from(u.arbitrary::<i64>()?),
        3 => serde_json::Number::from_f64(u.arbitrary()?).map_or(Value::Null, Value::Number),
        4 => Value::String(u.arbitrary()?),
        5 => {
            let n = u.int_in_range(0..=3)?;
            Value::Array(
                (0..n)
                    .map(|_| arb_json(u, depth + 1))
                    .collect::<Result<_>>()?,
            )
        }
        _ => {
            let n = u.int_in_range(0..=3)?;
            let mut map = Map::new();
            for _ in 0..n {
                let key = if u.arbitrary()? {
                    (*u.choose(&["Ok", "Err", "arg0", "arg1"])?).to_string()
                } else {
                    u.arbitrary()?
                };
                map.insert(key, arb_json(u, depth + 1)?);
            }
            Value::Object(map)
        }
    })
}

fn hex(bytes: &[u8]) -> String {
    shortcrust_sdk::schema::to_hex(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lossless_json_forms() {
        assert!(json_is_lossless(&Type::Option(Box::new(Type::U8))));
        assert!(!json_is_lossless(&Type::Option(Box::new(Type::Tuple(
            Vec::new()
        )))));
        assert!(!json_is_lossless(&Type::Vec(Box::new(Type::Option(
            Box::new(Type::Option(Box::new(Type::U8)))
        )))));
    }

    #[test]
    fn a_counter_call_round_trips() {
        let schema = r#"{"schema_version":1,"entry_points":[{"name":"add","args":[{"name":"n","type":"u64"}],"returns":"u64"}]}"#;
        let mut input = vec![1u8];
        input.extend_from_slice(schema.as_bytes());
        input.push(0);
        input.extend_from_slice(br#"{"n": "18446744073709551615"}"#);
        input.push(0);
        input.extend_from_slice(&7u64.to_le_bytes());
        schema_json(&input);
    }
}
