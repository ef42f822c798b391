//! The integration test binary, split by purpose.

mod check;
mod hostile_input;
mod plan_input;
mod policy;
mod sandbox;
mod support;
