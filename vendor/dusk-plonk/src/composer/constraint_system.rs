// This Source Code Form is subject to the terms of the Mozilla Public
// License, v. 2.0. If a copy of the MPL was not distributed with this
// file, You can obtain one at http://mozilla.org/MPL/2.0/.
//
// Copyright (c) DUSK NETWORK. All rights reserved.

//! The constraint System module stores the implementation
//! of the PLONK Standard Composer, as well as the circuit
//! tools and abstractions, used by the Composer to generate,
//! build, preprocess circuits.

pub(crate) mod constraint;
pub(crate) mod ecc;
pub(crate) mod witness;

pub use constraint::Constraint;
pub(crate) use constraint::{Selector, WiredWitness};
pub use ecc::WitnessPoint;
pub(crate) use witness::WireData;
pub use witness::Witness;
