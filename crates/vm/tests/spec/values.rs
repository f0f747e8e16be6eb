//! Converting `.wast` arguments to wasmtime values and matching results against expectations
//! (exact bits for numbers, NaN patterns for floats, null/non-null for references).

use wasmtime::Val;
use wast::core::{AbstractHeapType, HeapType, NanPattern, WastArgCore, WastRetCore};
use wast::{WastArg, WastRet};

/// An argument or expectation this build cannot express: the feature it needs.
pub struct Unsupported(pub &'static str);

pub fn arg(arg: &WastArg<'_>) -> Result<Val, Unsupported> {
    let WastArg::Core(core) = arg else {
        return Err(Unsupported("component model"));
    };
    Ok(match core {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(v.bits),
        WastArgCore::F64(v) => Val::F64(v.bits),
        WastArgCore::V128(_) => return Err(Unsupported("SIMD")),
        WastArgCore::RefNull(HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::Func,
        }) => Val::FuncRef(None),
        WastArgCore::RefNull(HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::Extern,
        }) => Val::ExternRef(None),
        WastArgCore::RefNull(_) => return Err(Unsupported("GC reference types")),
        // Host references need wasmtime's `gc` feature, which the VM does not build.
        WastArgCore::RefExtern(_) | WastArgCore::RefHost(_) => {
            return Err(Unsupported(
                "non-null externref (wasmtime built without `gc`)",
            ));
        }
    })
}

/// Whether `actual` is what `expected` describes; `Err` when the expectation needs a feature
/// this build does not have.
pub fn matches(expected: &WastRet<'_>, actual: &Val) -> Result<bool, Unsupported> {
    let WastRet::Core(core) = expected else {
        return Err(Unsupported("component model"));
    };
    matches_core(core, actual)
}

fn matches_core(expected: &WastRetCore<'_>, actual: &Val) -> Result<bool, Unsupported> {
    Ok(match (expected, actual) {
        (WastRetCore::I32(e), Val::I32(a)) => e == a,
        (WastRetCore::I64(e), Val::I64(a)) => e == a,
        (WastRetCore::F32(e), Val::F32(a)) => match e {
            NanPattern::Value(v) => v.bits == *a,
            NanPattern::CanonicalNan => a & 0x7fff_ffff == 0x7fc0_0000,
            NanPattern::ArithmeticNan => a & 0x7fc0_0000 == 0x7fc0_0000,
        },
        (WastRetCore::F64(e), Val::F64(a)) => match e {
            NanPattern::Value(v) => v.bits == *a,
            NanPattern::CanonicalNan => a & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
            NanPattern::ArithmeticNan => a & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        },
        (WastRetCore::V128(_), _) => return Err(Unsupported("SIMD")),
        (WastRetCore::RefNull(_), Val::FuncRef(r)) => r.is_none(),
        (WastRetCore::RefNull(_), Val::ExternRef(r)) => r.is_none(),
        (WastRetCore::RefNull(_), Val::AnyRef(r)) => r.is_none(),
        (WastRetCore::RefFunc(_), Val::FuncRef(r)) => r.is_some(),
        (WastRetCore::RefExtern(_) | WastRetCore::RefHost(_), _) => {
            return Err(Unsupported(
                "non-null externref (wasmtime built without `gc`)",
            ));
        }
        (
            WastRetCore::RefAny
            | WastRetCore::RefEq
            | WastRetCore::RefArray
            | WastRetCore::RefStruct
            | WastRetCore::RefI31
            | WastRetCore::RefI31Shared,
            _,
        ) => return Err(Unsupported("GC reference types")),
        (WastRetCore::Either(cases), actual) => {
            for case in cases {
                if matches_core(case, actual)? {
                    return Ok(true);
                }
            }
            false
        }
        _ => false,
    })
}

/// A value as the `.wast` text would write it, for failure messages.
pub fn show(v: &Val) -> String {
    match v {
        Val::I32(x) => format!("i32:{x}"),
        Val::I64(x) => format!("i64:{x}"),
        Val::F32(b) => format!("f32:{} (0x{b:08x})", f32::from_bits(*b)),
        Val::F64(b) => format!("f64:{} (0x{b:016x})", f64::from_bits(*b)),
        Val::FuncRef(r) => format!("funcref:{}", if r.is_some() { "func" } else { "null" }),
        Val::ExternRef(r) => format!("externref:{}", if r.is_some() { "host" } else { "null" }),
        other => format!("{other:?}"),
    }
}
