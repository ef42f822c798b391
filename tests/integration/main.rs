//! The integration test binary, split by purpose.

mod check;
mod formats;
mod fuzz_smoke;
mod github;
mod hostile_input;
mod plan_input;
mod policy;
mod rules;
mod sandbox;
mod source_map;
mod support;
