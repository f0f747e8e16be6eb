//! Differential determinism (being written).
