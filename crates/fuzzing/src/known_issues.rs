//! Bugs found while fuzzing that are not fixed yet, recognised narrowly so that fuzzing can go on
//! past them. Each one is also an ignored test in `tests/known_bugs.rs` that asserts the fixed
//! behaviour: when it passes, delete the entry here.

/// Whether `code` has a `name` custom section that does not parse (as wasm-encoder's re-encoder
/// parses it: every subsection, every entry, nothing left over).
pub fn malformed_name_section(code: &[u8]) -> bool {
    use wasmparser::{IndirectNameMap, KnownCustom, Name, NameMap, Parser, Payload};
    let map_ok = |map: NameMap| map.into_iter().all(|n| n.is_ok());
    let indirect_ok = |map: IndirectNameMap| {
        map.into_iter()
            .all(|n| n.is_ok_and(|n| n.names.into_iter().all(|n| n.is_ok())))
    };
    for payload in Parser::new(0).parse_all(code) {
        let Ok(payload) = payload else {
            return false;
        };
        let Payload::CustomSection(section) = payload else {
            continue;
        };
        let KnownCustom::Name(names) = section.as_known() else {
            continue;
        };
        for name in names {
            let ok = match name {
                Err(_) => false,
                Ok(Name::Module { .. } | Name::Unknown { .. }) => true,
                Ok(Name::Local(m) | Name::Label(m) | Name::Field(m)) => indirect_ok(m),
                Ok(
                    Name::Function(m)
                    | Name::Type(m)
                    | Name::Table(m)
                    | Name::Memory(m)
                    | Name::Global(m)
                    | Name::Element(m)
                    | Name::Data(m)
                    | Name::Tag(m),
                ) => map_ok(m),
            };
            if !ok {
                return true;
            }
        }
    }
    false
}

/// **Known bug** (found by `deploy_bytes` after ~1,600 executions; `crates/vm/src/instrument.rs`):
/// the instrumenter re-encodes the module with wasm-encoder's `Reencode`, which parses the
/// `name` custom section (to shift function indices); a malformed one fails the deploy with
/// `DeployError::Invalid("instrumentation failed: There was an error when parsing")`. The
/// validator, like the spec (custom sections never make a module invalid), ignores custom
/// sections, so a module it accepts is refused, with an error that names nothing. Returns
/// whether `refused` is that refusal of a module with a malformed `name` section.
pub fn malformed_name_section_refused(code: &[u8], refused: &shortcrust_vm::DeployError) -> bool {
    matches!(refused, shortcrust_vm::DeployError::Invalid(why) if why.starts_with("instrumentation failed"))
        && malformed_name_section(code)
}

/// Deepest nesting of `(`, `[` and `<` in `text`.
pub fn bracket_depth(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for b in text.bytes() {
        match b {
            b'(' | b'[' | b'<' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b')' | b']' | b'>' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Nesting beyond which [`deep_type_overflows_the_stack`] may bite. Real types nest a few levels.
pub const MAX_SAFE_TYPE_DEPTH: usize = 128;

/// **Known bug** (`crates/sdk/src/schema.rs`, `TypeParser::ty`/`path`): the type parser recurses
/// once per `(`, `[` or `<` with no depth limit, so a schema whose type text nests deeply
/// (`"((((…"`, a few hundred thousand levels; the schema is a contract's custom section, up to the
/// 2 MiB module limit) overflows the native stack and aborts the process (`shortcrust inspect`,
/// `call`, `query`). JSON nesting is bounded by serde_json (128), the type text inside a JSON
/// string is not. Returns whether `schema_text` nests deeper than [`MAX_SAFE_TYPE_DEPTH`].
pub fn deep_type_overflows_the_stack(schema_text: &str) -> bool {
    bracket_depth(schema_text) > MAX_SAFE_TYPE_DEPTH
}

/// Whether every value of `ty` encodes to zero bytes (`()`, `[T; 0]`, tuples of those).
pub fn zero_sized(ty: &shortcrust_sdk::schema::Type) -> bool {
    use shortcrust_sdk::schema::Type;
    match ty {
        Type::Tuple(items) => items.iter().all(zero_sized),
        Type::Array(t, n) => *n == 0 || zero_sized(t),
        _ => false,
    }
}

/// **Known bug** (`crates/sdk/src/schema.rs`, `decode`): a sequence of a zero-sized element type
/// (`Vec<()>`, `[(); N]`, `Vec<[u8; 0]>`, …) decodes by pushing one JSON `null` per element with
/// no bound: four output bytes `ff ff ff ff` as a `Vec<()>` build 2^32 - 1 values (about 128 GiB;
/// 16 Mi elements already take 1.4 s), and a schema declaring `[(); 18446744073709551615]` never
/// finishes on any output. The pre-allocation is capped by the bytes left; the loop is not. The
/// CLI decodes every output of a contract that has a schema. Returns whether `ty` has such a
/// sequence anywhere.
pub fn zero_sized_sequence(ty: &shortcrust_sdk::schema::Type) -> bool {
    use shortcrust_sdk::schema::Type;
    match ty {
        Type::Vec(t) | Type::Array(t, _) => zero_sized(t) || zero_sized_sequence(t),
        Type::Option(t) => zero_sized_sequence(t),
        Type::Result(t, e) => zero_sized_sequence(t) || zero_sized_sequence(e),
        Type::Tuple(items) => items.iter().any(zero_sized_sequence),
        _ => false,
    }
}
