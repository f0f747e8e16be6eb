//! The codec between JSON values and borsh bytes for the schema's [`Type`]s: `encode` (JSON
//! arguments to a contract's input) and `decode` (outputs and event data back to JSON), with the
//! bounds that keep decoding proportional to its input.

use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

use serde_json::{Map, Value};

use super::{MAX_ZERO_SIZED_ELEMENTS, SchemaError, Type};

/// A short description of a JSON value's kind, for error messages.
pub(super) fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) if s.len() <= 40 => format!("string {s:?}"),
        Value::String(_) => "a long string".into(),
        Value::Array(a) => format!("array of {}", a.len()),
        Value::Object(_) => "object".into(),
    }
}

fn mismatch(path: &str, expected: impl Into<String>, got: &Value) -> SchemaError {
    SchemaError::Value {
        path: path.to_string(),
        expected: expected.into(),
        got: kind(got),
    }
}

/// An integer given as a JSON number or a decimal string.
fn integer(value: &Value, path: &str, ty: &Type) -> Result<i128, SchemaError> {
    let parsed = match value {
        Value::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from)),
        Value::String(s) => s.trim().parse::<i128>().ok(),
        _ => None,
    };
    parsed.ok_or_else(|| mismatch(path, format!("an integer ({ty})"), value))
}

/// A `u128` given as a JSON number or a decimal string (beyond `i128` range on the positive side).
fn unsigned128(value: &Value, path: &str) -> Result<u128, SchemaError> {
    let parsed = match value {
        Value::Number(n) => n.as_u64().map(u128::from),
        Value::String(s) => s.trim().parse::<u128>().ok(),
        _ => None,
    };
    parsed.ok_or_else(|| mismatch(path, "a non-negative integer (u128)", value))
}

/// Encodes `value` as borsh `ty`, appending to `out`. `path` names the value in errors.
pub fn encode(ty: &Type, value: &Value, path: &str, out: &mut Vec<u8>) -> Result<(), SchemaError> {
    macro_rules! int {
        ($t:ty) => {{
            let n = integer(value, path, ty)?;
            let n = <$t>::try_from(n)
                .map_err(|_| mismatch(path, format!("a value in range of {ty}"), value))?;
            out.extend_from_slice(&n.to_le_bytes());
        }};
    }
    match ty {
        Type::Bool => match value {
            Value::Bool(b) => out.push(u8::from(*b)),
            other => return Err(mismatch(path, "true or false", other)),
        },
        Type::U8 => int!(u8),
        Type::U16 => int!(u16),
        Type::U32 => int!(u32),
        Type::U64 => int!(u64),
        Type::I8 => int!(i8),
        Type::I16 => int!(i16),
        Type::I32 => int!(i32),
        Type::I64 => int!(i64),
        Type::I128 => int!(i128),
        Type::U128 => out.extend_from_slice(&unsigned128(value, path)?.to_le_bytes()),
        Type::String => match value {
            Value::String(s) => {
                push_len(out, s.len(), path, value)?;
                out.extend_from_slice(s.as_bytes());
            }
            other => return Err(mismatch(path, "a string", other)),
        },
        Type::Vec(element) => {
            if **element == Type::U8
                && let Value::String(s) = value
            {
                let bytes = from_hex(s).ok_or_else(|| mismatch(path, "a hex string", value))?;
                push_len(out, bytes.len(), path, value)?;
                out.extend_from_slice(&bytes);
                return Ok(());
            }
            let Value::Array(items) = value else {
                return Err(mismatch(path, format!("an array ({ty})"), value));
            };
            push_len(out, items.len(), path, value)?;
            for (i, item) in items.iter().enumerate() {
                encode(element, item, &format!("{path}[{i}]"), out)?;
            }
        }
        Type::Array(element, len) => {
            if **element == Type::U8
                && let Value::String(s) = value
            {
                let bytes = from_hex(s).ok_or_else(|| mismatch(path, "a hex string", value))?;
                if bytes.len() != *len {
                    return Err(mismatch(path, format!("{len} bytes of hex"), value));
                }
                out.extend_from_slice(&bytes);
                return Ok(());
            }
            let Value::Array(items) = value else {
                return Err(mismatch(path, format!("an array ({ty})"), value));
            };
            if items.len() != *len {
                return Err(mismatch(path, format!("an array of {len}"), value));
            }
            for (i, item) in items.iter().enumerate() {
                encode(element, item, &format!("{path}[{i}]"), out)?;
            }
        }
        Type::Option(inner) => {
            if value.is_null() {
                out.push(0);
            } else {
                out.push(1);
                encode(inner, value, path, out)?;
            }
        }
        Type::Result(ok, err) => {
            let Value::Object(map) = value else {
                return Err(mismatch(path, "{\"Ok\": ..} or {\"Err\": ..}", value));
            };
            match single_entry(map) {
                Some(("Ok", inner)) => {
                    out.push(1);
                    encode(ok, inner, &format!("{path}.Ok"), out)?;
                }
                Some(("Err", inner)) => {
                    out.push(0);
                    encode(err, inner, &format!("{path}.Err"), out)?;
                }
                _ => return Err(mismatch(path, "{\"Ok\": ..} or {\"Err\": ..}", value)),
            }
        }
        Type::Tuple(items) if items.is_empty() => {
            if !value.is_null() {
                return Err(mismatch(path, "null (the unit type)", value));
            }
        }
        Type::Tuple(items) => {
            let Value::Array(values) = value else {
                return Err(mismatch(path, format!("an array ({ty})"), value));
            };
            if values.len() != items.len() {
                return Err(mismatch(
                    path,
                    format!("an array of {}", items.len()),
                    value,
                ));
            }
            for (i, (item, v)) in items.iter().zip(values).enumerate() {
                encode(item, v, &format!("{path}.{i}"), out)?;
            }
        }
        Type::Opaque(name) => match value {
            Value::String(s) => {
                let bytes = from_hex(s).ok_or_else(|| {
                    mismatch(path, format!("hex of the borsh encoding of {name}"), value)
                })?;
                out.extend_from_slice(&bytes);
            }
            other => {
                return Err(mismatch(
                    path,
                    format!("hex of the borsh encoding of {name}"),
                    other,
                ));
            }
        },
    }
    Ok(())
}

fn single_entry(map: &Map<String, Value>) -> Option<(&str, &Value)> {
    let mut iter = map.iter();
    match (iter.next(), iter.next()) {
        (Some((k, v)), None) => Some((k.as_str(), v)),
        _ => None,
    }
}

fn push_len(out: &mut Vec<u8>, len: usize, path: &str, value: &Value) -> Result<(), SchemaError> {
    let len = u32::try_from(len).map_err(|_| mismatch(path, "at most 2^32 - 1 elements", value))?;
    out.extend_from_slice(&len.to_le_bytes());
    Ok(())
}

/// The fewest bytes a borsh value of `ty` takes.
fn min_size(ty: &Type) -> usize {
    match ty {
        Type::Bool | Type::U8 | Type::I8 | Type::Option(_) => 1,
        Type::U16 | Type::I16 => 2,
        Type::U32 | Type::I32 | Type::String | Type::Vec(_) => 4,
        Type::U64 | Type::I64 => 8,
        Type::U128 | Type::I128 => 16,
        Type::Array(t, n) => min_size(t).saturating_mul(*n),
        Type::Result(ok, err) => 1 + min_size(ok).min(min_size(err)),
        Type::Tuple(items) => items.iter().map(min_size).fold(0, usize::saturating_add),
        Type::Opaque(_) => 0,
    }
}

/// Refuses a sequence of `n` elements of `element` that `left` bytes cannot hold, before
/// decoding any: the work of a decode stays proportional to its input.
fn check_sequence(element: &Type, n: usize, left: usize) -> Result<(), String> {
    match min_size(element) {
        0 if n > MAX_ZERO_SIZED_ELEMENTS => Err(format!(
            "{n} zero-sized elements (at most {MAX_ZERO_SIZED_ELEMENTS})"
        )),
        0 => Ok(()),
        size if n.saturating_mul(size) > left => Err(format!(
            "{n} elements of at least {size} bytes need more than the {left} bytes left"
        )),
        _ => Ok(()),
    }
}

/// Decodes one borsh value of `ty` from the front of `bytes`, advancing it.
pub(super) fn decode(ty: &Type, bytes: &mut &[u8]) -> Result<Value, String> {
    fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Result<&'a [u8], String> {
        if bytes.len() < n {
            return Err(format!("needs {n} more bytes, {} left", bytes.len()));
        }
        let (head, tail) = bytes.split_at(n);
        *bytes = tail;
        Ok(head)
    }
    fn array<const N: usize>(bytes: &mut &[u8]) -> Result<[u8; N], String> {
        let mut out = [0u8; N];
        out.copy_from_slice(take(bytes, N)?);
        Ok(out)
    }
    fn len(bytes: &mut &[u8]) -> Result<usize, String> {
        Ok(u32::from_le_bytes(array(bytes)?) as usize)
    }
    /// A 64- or 128-bit integer as a JSON number when exactly representable in a double.
    fn wide(n: i128) -> Value {
        const SAFE: i128 = (1 << 53) - 1;
        if (-SAFE..=SAFE).contains(&n) {
            Value::from(n as i64)
        } else {
            Value::String(n.to_string())
        }
    }
    Ok(match ty {
        Type::Bool => match take(bytes, 1)?[0] {
            0 => Value::Bool(false),
            1 => Value::Bool(true),
            b => return Err(format!("invalid bool byte {b}")),
        },
        Type::U8 => Value::from(take(bytes, 1)?[0]),
        Type::U16 => Value::from(u16::from_le_bytes(array(bytes)?)),
        Type::U32 => Value::from(u32::from_le_bytes(array(bytes)?)),
        Type::U64 => wide(i128::from(u64::from_le_bytes(array(bytes)?))),
        Type::U128 => {
            let n = u128::from_le_bytes(array(bytes)?);
            if n < (1 << 53) {
                Value::from(n as u64)
            } else {
                Value::String(n.to_string())
            }
        }
        Type::I8 => Value::from(i8::from_le_bytes(array(bytes)?)),
        Type::I16 => Value::from(i16::from_le_bytes(array(bytes)?)),
        Type::I32 => Value::from(i32::from_le_bytes(array(bytes)?)),
        Type::I64 => wide(i128::from(i64::from_le_bytes(array(bytes)?))),
        Type::I128 => wide(i128::from_le_bytes(array(bytes)?)),
        Type::String => {
            let n = len(bytes)?;
            let raw = take(bytes, n)?;
            Value::String(
                String::from_utf8(raw.to_vec()).map_err(|_| "string is not UTF-8".to_string())?,
            )
        }
        Type::Vec(element) => {
            let n = len(bytes)?;
            if **element == Type::U8 {
                Value::String(to_hex(take(bytes, n)?))
            } else {
                // Every element takes at least... nothing for `()`; cap the pre-allocation by the
                // bytes left so a forged length cannot ask for gigabytes.
                check_sequence(element, n, bytes.len())?;
                let mut items = Vec::with_capacity(n.min(bytes.len()));
                for _ in 0..n {
                    items.push(decode(element, bytes)?);
                }
                Value::Array(items)
            }
        }
        Type::Array(element, n) => {
            if **element == Type::U8 {
                Value::String(to_hex(take(bytes, *n)?))
            } else {
                check_sequence(element, *n, bytes.len())?;
                let mut items = Vec::with_capacity((*n).min(bytes.len()));
                for _ in 0..*n {
                    items.push(decode(element, bytes)?);
                }
                Value::Array(items)
            }
        }
        Type::Option(inner) => match take(bytes, 1)?[0] {
            0 => Value::Null,
            1 => decode(inner, bytes)?,
            b => return Err(format!("invalid Option tag {b}")),
        },
        Type::Result(ok, err) => match take(bytes, 1)?[0] {
            1 => Value::Object(Map::from_iter([("Ok".to_string(), decode(ok, bytes)?)])),
            0 => Value::Object(Map::from_iter([("Err".to_string(), decode(err, bytes)?)])),
            b => return Err(format!("invalid Result tag {b}")),
        },
        Type::Tuple(items) if items.is_empty() => Value::Null,
        Type::Tuple(items) => Value::Array(
            items
                .iter()
                .map(|item| decode(item, bytes))
                .collect::<Result<_, _>>()?,
        ),
        Type::Opaque(_) => {
            let all = take(bytes, bytes.len())?;
            Value::String(to_hex(all))
        }
    })
}

/// Lower-case hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// Bytes from hex (either case, optional `0x` prefix); `None` if it is not hex.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    let digits = text.strip_prefix("0x").unwrap_or(text).as_bytes();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    let nibble = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    digits
        .chunks_exact(2)
        .map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?))
        .collect()
}
