//! The integration test binary, split by purpose.

mod check;
mod formats;
mod github;
mod plan_input;
mod sandbox;
mod source_map;
mod support;
