//! The JSON renderer: the report model as is, pretty-printed.

use super::Report;

pub fn render(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(report).expect("the report model serializes");
    out.push('\n');
    out
}
