//! Arbitrary bytes as a `.tf` file through the source mapper.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tfwarden::fuzzing::tf_source(data));
