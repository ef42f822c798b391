//! Fixture cases: each `tests/cases/NAME.json` plan, with its settings, must
//! give exactly the findings in `NAME.expected.json`.

#[test]
fn fixture_cases() {
    tfwarden_sdk::testing::assert_cases::<cost::CostPolicy>("tests/cases");
}
