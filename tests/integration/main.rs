//! The integration test binary, split by purpose.

mod check;
mod plan_input;
mod sandbox;
mod support;
