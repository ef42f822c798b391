//! Arbitrary bytes through the plan loader, plugin inputs and value views.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tfwarden::fuzzing::plan_bytes(data));
