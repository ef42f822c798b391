//! Runs every fixture case under `tests/cases`: a hand-written plan, its
//! expected findings, and optionally settings. `TFWARDEN_UPDATE=1` rewrites
//! the expectations, which must then be reviewed by hand.

#[test]
fn fixture_cases() {
    tfwarden_sdk::testing::assert_cases::<security::Security>("tests/cases");
}
