//! Reading a contract's schema and converting between JSON and borsh (feature `json`, host only).
//!
//! This is the tool side of the [schema custom section](crate#the-schema-custom-section): parse the
//! JSON the [`entry_points!`](crate::entry_points) macro embedded, then encode JSON arguments into
//! the borsh input an entry point expects and decode its borsh output back into JSON.
//!
//! JSON conventions (both directions):
//!
//! | type | JSON |
//! |---|---|
//! | `bool` | `true` / `false` |
//! | `u8`..`u32`, `i8`..`i32` | number |
//! | `u64`, `i64`, `u128`, `i128` | number, or a decimal string; decoded as a number when its magnitude is below 2^53, else as a string |
//! | `String` | string |
//! | `Vec<u8>`, `[u8; N]` | hex string (`0x` prefix optional); an array of numbers is accepted too |
//! | `Vec<T>`, `[T; N]`, tuples | array |
//! | `Option<T>` | `null` or the value |
//! | `Result<T, E>` | `{"Ok": value}` or `{"Err": value}` |
//! | `()` | `null` |
//! | anything else (a contract's own type) | hex string of its raw borsh bytes; only as the last argument or as the return value, since its length cannot be known |

use std::string::{String, ToString};
use std::vec::Vec;
use std::{boxed::Box, format, vec};

use serde_json::{Map, Value};

mod codec;

use codec::{decode, kind};
pub use codec::{encode, from_hex, to_hex};

/// Why a schema, an argument or an output could not be handled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("schema is not valid JSON: {0}")]
    Json(String),
    #[error("schema field `{0}` is missing or has the wrong type")]
    Field(&'static str),
    #[error("unsupported schema version {0} (this SDK reads version 1)")]
    Version(u64),
    #[error("cannot parse type `{ty}`: {reason}")]
    Type { ty: String, reason: &'static str },
    #[error("no entry point named `{0}`")]
    UnknownEntry(String),
    #[error("`{entry}` takes {expected} argument(s), got {got}")]
    ArgCount {
        entry: String,
        expected: usize,
        got: usize,
    },
    #[error("missing argument `{0}`")]
    MissingArg(String),
    #[error("unknown argument `{0}`")]
    UnknownArg(String),
    #[error("arguments must be a JSON array or object, got {0}")]
    ArgsShape(String),
    #[error("{path}: expected {expected}, got {got}")]
    Value {
        path: String,
        expected: String,
        got: String,
    },
    #[error("`{ty}` is opaque and can only be the last argument or the return value")]
    OpaqueNotLast { ty: String },
    #[error("output does not decode as `{ty}`: {reason}")]
    Output { ty: String, reason: String },
}

/// A parsed `shortcrust-schema` document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    pub entry_points: Vec<EntryPoint>,
    /// Event types declared with `events { ... }` in `entry_points!` (none in older schemas).
    pub events: Vec<EventType>,
}

/// One event type: its name (the event's topic) and fields in order (the data is their borsh
/// encodings concatenated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventType {
    pub name: String,
    pub fields: Vec<Arg>,
}

/// One entry point: its name, arguments in order, and return type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryPoint {
    pub name: String,
    pub args: Vec<Arg>,
    pub returns: Type,
}

/// One argument of an entry point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub name: String,
    pub ty: Type,
}

/// A borsh type as named in the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    Bool,
    U8,
    U16,
    U32,
    U64,
    U128,
    I8,
    I16,
    I32,
    I64,
    I128,
    String,
    Vec(Box<Type>),
    Array(Box<Type>, usize),
    Option(Box<Type>),
    Result(Box<Type>, Box<Type>),
    /// A tuple; the empty tuple is `()`.
    Tuple(Vec<Type>),
    /// A type whose encoding the name does not tell (a contract's own struct): raw bytes.
    Opaque(String),
}

impl Schema {
    /// Parses the schema JSON (the custom section's bytes as text).
    pub fn parse(json: &str) -> Result<Schema, SchemaError> {
        let value: Value =
            serde_json::from_str(json).map_err(|e| SchemaError::Json(e.to_string()))?;
        let version = value["schema_version"]
            .as_u64()
            .ok_or(SchemaError::Field("schema_version"))?;
        if version != 1 {
            return Err(SchemaError::Version(version));
        }
        let entries = value["entry_points"]
            .as_array()
            .ok_or(SchemaError::Field("entry_points"))?;
        let mut entry_points = Vec::with_capacity(entries.len());
        for entry in entries {
            let name = entry["name"].as_str().ok_or(SchemaError::Field("name"))?;
            let mut args = Vec::new();
            for arg in entry["args"].as_array().ok_or(SchemaError::Field("args"))? {
                args.push(Arg {
                    name: arg["name"]
                        .as_str()
                        .ok_or(SchemaError::Field("args.name"))?
                        .to_string(),
                    ty: Type::parse(
                        arg["type"]
                            .as_str()
                            .ok_or(SchemaError::Field("args.type"))?,
                    )?,
                });
            }
            let returns = Type::parse(
                entry["returns"]
                    .as_str()
                    .ok_or(SchemaError::Field("returns"))?,
            )?;
            entry_points.push(EntryPoint {
                name: name.to_string(),
                args,
                returns,
            });
        }
        let mut events = Vec::new();
        if let Some(list) = value.get("events") {
            for event in list.as_array().ok_or(SchemaError::Field("events"))? {
                let name = event["name"]
                    .as_str()
                    .ok_or(SchemaError::Field("events.name"))?;
                let mut fields = Vec::new();
                for field in event["fields"]
                    .as_array()
                    .ok_or(SchemaError::Field("events.fields"))?
                {
                    fields.push(Arg {
                        name: field["name"]
                            .as_str()
                            .ok_or(SchemaError::Field("events.fields.name"))?
                            .to_string(),
                        ty: Type::parse(
                            field["type"]
                                .as_str()
                                .ok_or(SchemaError::Field("events.fields.type"))?,
                        )?,
                    });
                }
                events.push(EventType {
                    name: name.to_string(),
                    fields,
                });
            }
        }
        Ok(Schema {
            entry_points,
            events,
        })
    }

    /// The event `topic`/`data` decoded as `{"name": topic, "fields": {field: value, ...}}`, if
    /// the schema declares an event of that name; `Some(Err(_))` if the data does not decode
    /// as its fields.
    pub fn decode_event(&self, topic: &[u8], data: &[u8]) -> Option<Result<Value, SchemaError>> {
        let event = self.events.iter().find(|e| e.name.as_bytes() == topic)?;
        let mut rest = data;
        let mut fields = Map::new();
        for field in &event.fields {
            match decode(&field.ty, &mut rest) {
                Ok(v) => {
                    fields.insert(field.name.clone(), v);
                }
                Err(reason) => {
                    return Some(Err(SchemaError::Output {
                        ty: field.ty.to_string(),
                        reason,
                    }));
                }
            }
        }
        if !rest.is_empty() {
            return Some(Err(SchemaError::Output {
                ty: event.name.clone(),
                reason: format!("{} bytes left over", rest.len()),
            }));
        }
        Some(Ok(Value::Object(Map::from_iter([
            ("name".to_string(), Value::String(event.name.clone())),
            ("fields".to_string(), Value::Object(fields)),
        ]))))
    }

    /// The entry point called `name`.
    pub fn entry(&self, name: &str) -> Result<&EntryPoint, SchemaError> {
        self.entry_points
            .iter()
            .find(|e| e.name == name)
            .ok_or_else(|| SchemaError::UnknownEntry(name.to_string()))
    }
}

impl EntryPoint {
    /// The borsh input for this entry point from JSON arguments: an array in declaration order,
    /// or an object keyed by argument name. A single argument may also be given bare.
    pub fn encode_args(&self, args: &Value) -> Result<Vec<u8>, SchemaError> {
        let values: Vec<&Value> = match args {
            Value::Array(items) => items.iter().collect(),
            Value::Object(map) => {
                for key in map.keys() {
                    if !self.args.iter().any(|a| &a.name == key) {
                        return Err(SchemaError::UnknownArg(key.clone()));
                    }
                }
                self.args
                    .iter()
                    .map(|a| {
                        map.get(&a.name)
                            .ok_or_else(|| SchemaError::MissingArg(a.name.clone()))
                    })
                    .collect::<Result<_, _>>()?
            }
            Value::Null if self.args.is_empty() => Vec::new(),
            other if self.args.len() == 1 => vec![other],
            other => return Err(SchemaError::ArgsShape(kind(other))),
        };
        if values.len() != self.args.len() {
            return Err(SchemaError::ArgCount {
                entry: self.name.clone(),
                expected: self.args.len(),
                got: values.len(),
            });
        }
        let mut out = Vec::new();
        for (i, (arg, value)) in self.args.iter().zip(values).enumerate() {
            if arg.ty.contains_opaque() && i + 1 != self.args.len() {
                return Err(SchemaError::OpaqueNotLast {
                    ty: arg.ty.to_string(),
                });
            }
            encode(&arg.ty, value, &arg.name, &mut out)?;
        }
        Ok(out)
    }

    /// The entry point's borsh output as JSON. All bytes must be consumed.
    pub fn decode_output(&self, bytes: &[u8]) -> Result<Value, SchemaError> {
        decode_exact(&self.returns, bytes)
    }
}

/// Decodes `bytes` as exactly one value of `ty`.
pub fn decode_exact(ty: &Type, bytes: &[u8]) -> Result<Value, SchemaError> {
    let mut rest = bytes;
    let value = decode(ty, &mut rest).map_err(|reason| SchemaError::Output {
        ty: ty.to_string(),
        reason,
    })?;
    if !rest.is_empty() {
        return Err(SchemaError::Output {
            ty: ty.to_string(),
            reason: format!("{} bytes left over", rest.len()),
        });
    }
    Ok(value)
}

impl Type {
    /// Parses a type as the schema spells it (`u64`, `Vec<u8>`, `[u8; 32]`, `Option<(u64, bool)>`,
    /// `alloc::string::String`, ...). Unknown names become [`Type::Opaque`].
    pub fn parse(text: &str) -> Result<Type, SchemaError> {
        let mut parser = TypeParser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
        };
        let ty = parser.ty()?;
        parser.skip_spaces();
        if parser.pos != parser.bytes.len() {
            return Err(parser.error("unexpected text after the type"));
        }
        Ok(ty)
    }

    /// Whether an opaque type occurs anywhere inside.
    pub fn contains_opaque(&self) -> bool {
        match self {
            Type::Opaque(_) => true,
            Type::Vec(t) | Type::Array(t, _) | Type::Option(t) => t.contains_opaque(),
            Type::Result(t, e) => t.contains_opaque() || e.contains_opaque(),
            Type::Tuple(items) => items.iter().any(Type::contains_opaque),
            _ => false,
        }
    }
}

impl core::fmt::Display for Type {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let name = match self {
            Type::Bool => "bool",
            Type::U8 => "u8",
            Type::U16 => "u16",
            Type::U32 => "u32",
            Type::U64 => "u64",
            Type::U128 => "u128",
            Type::I8 => "i8",
            Type::I16 => "i16",
            Type::I32 => "i32",
            Type::I64 => "i64",
            Type::I128 => "i128",
            Type::String => "String",
            Type::Vec(t) => return write!(f, "Vec<{t}>"),
            Type::Array(t, n) => return write!(f, "[{t}; {n}]"),
            Type::Option(t) => return write!(f, "Option<{t}>"),
            Type::Result(t, e) => return write!(f, "Result<{t}, {e}>"),
            Type::Tuple(items) => {
                f.write_str("(")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                if items.len() == 1 {
                    f.write_str(",")?;
                }
                return f.write_str(")");
            }
            Type::Opaque(name) => name,
        };
        f.write_str(name)
    }
}

/// Recursive-descent parser of the type grammar (see [`Type::parse`]).
struct TypeParser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Types being parsed, outermost first: bounded by [`MAX_TYPE_DEPTH`], since a schema comes
    /// from untrusted contract code and recursion must not exhaust the stack (found by fuzzing).
    depth: u32,
}

/// Deepest nesting of types a schema may use. Real contracts nest a handful of levels.
pub const MAX_TYPE_DEPTH: u32 = 64;

/// Most elements of a zero-sized type (`()`, `[u8; 0]`, ...) one sequence may decode to: each
/// takes no input byte, so without a bound a 4-byte length would make billions (found by
/// fuzzing).
pub const MAX_ZERO_SIZED_ELEMENTS: usize = 65_536;

impl<'a> TypeParser<'a> {
    fn error(&self, reason: &'static str) -> SchemaError {
        SchemaError::Type {
            ty: self.text.to_string(),
            reason,
        }
    }

    fn skip_spaces(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(u8::is_ascii_whitespace)
        {
            self.pos += 1;
        }
    }

    /// Consumes `c` (after spaces) if it is next.
    fn eat(&mut self, c: u8) -> bool {
        self.skip_spaces();
        if self.bytes.get(self.pos) == Some(&c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8, reason: &'static str) -> Result<(), SchemaError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.error(reason))
        }
    }

    fn ty(&mut self) -> Result<Type, SchemaError> {
        if self.depth >= MAX_TYPE_DEPTH {
            return Err(self.error("type nested too deeply"));
        }
        self.depth += 1;
        let ty = self.ty_inner();
        self.depth -= 1;
        ty
    }

    fn ty_inner(&mut self) -> Result<Type, SchemaError> {
        self.skip_spaces();
        if self.eat(b'(') {
            let mut items = Vec::new();
            if self.eat(b')') {
                return Ok(Type::Tuple(items));
            }
            loop {
                items.push(self.ty()?);
                if self.eat(b')') {
                    return Ok(Type::Tuple(items));
                }
                self.expect(b',', "expected `,` or `)` in a tuple")?;
                if self.eat(b')') {
                    return Ok(Type::Tuple(items));
                }
            }
        }
        if self.eat(b'[') {
            let element = self.ty()?;
            self.expect(b';', "expected `;` in an array type")?;
            self.skip_spaces();
            let start = self.pos;
            while self
                .bytes
                .get(self.pos)
                .is_some_and(|b| b.is_ascii_digit() || *b == b'_')
            {
                self.pos += 1;
            }
            let digits: String = self.text[start..self.pos]
                .chars()
                .filter(|c| *c != '_')
                .collect();
            let len = digits
                .parse::<usize>()
                .map_err(|_| self.error("array length must be a decimal number"))?;
            self.expect(b']', "expected `]` after the array length")?;
            return Ok(Type::Array(Box::new(element), len));
        }
        self.path()
    }

    /// A path with optional generic arguments; known names by their last segment.
    fn path(&mut self) -> Result<Type, SchemaError> {
        let start = self.pos;
        let mut last = self.ident()?;
        while self.text[self.pos..].starts_with("::") {
            self.pos += 2;
            last = self.ident()?;
        }
        let mut generics = Vec::new();
        if self.eat(b'<') {
            loop {
                generics.push(self.ty()?);
                if self.eat(b'>') {
                    break;
                }
                self.expect(b',', "expected `,` or `>` in generic arguments")?;
            }
        }
        let primitive = match last {
            "bool" => Some(Type::Bool),
            "u8" => Some(Type::U8),
            "u16" => Some(Type::U16),
            "u32" => Some(Type::U32),
            "u64" => Some(Type::U64),
            "u128" => Some(Type::U128),
            "i8" => Some(Type::I8),
            "i16" => Some(Type::I16),
            "i32" => Some(Type::I32),
            "i64" => Some(Type::I64),
            "i128" => Some(Type::I128),
            "String" => Some(Type::String),
            _ => None,
        };
        if let Some(ty) = primitive {
            return if generics.is_empty() {
                Ok(ty)
            } else {
                Err(self.error("unexpected generic arguments"))
            };
        }
        let mut generics = generics.into_iter();
        match (last, generics.len()) {
            ("Vec", 1) => Ok(Type::Vec(Box::new(
                generics.next().ok_or(self.error("Vec<T>"))?,
            ))),
            ("Option", 1) => Ok(Type::Option(Box::new(
                generics.next().ok_or(self.error("Option<T>"))?,
            ))),
            ("Result", 2) => match (generics.next(), generics.next()) {
                (Some(ok), Some(err)) => Ok(Type::Result(Box::new(ok), Box::new(err))),
                _ => Err(self.error("Result takes two type arguments")),
            },
            _ => Ok(Type::Opaque(self.text[start..self.pos].trim().to_string())),
        }
    }

    fn ident(&mut self) -> Result<&'a str, SchemaError> {
        self.skip_spaces();
        let start = self.pos;
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            self.pos += 1;
        }
        if start == self.pos {
            return Err(self.error("expected a type name"));
        }
        let text: &'a str = self.text;
        Ok(&text[start..self.pos])
    }
}
