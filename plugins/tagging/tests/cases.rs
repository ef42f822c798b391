//! Fixture cases: each `tests/cases/NAME.json` plan is checked against
//! `NAME.expected.json`, with `NAME.settings.json` when present.
//! Rewrite expectations with `TFWARDEN_UPDATE=1`, then review every change.

#[test]
fn fixture_cases() {
    tfwarden_sdk::testing::assert_cases::<tagging::Tagging>("tests/cases");
}
