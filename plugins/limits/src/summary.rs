//! The short table under the findings: for each limit, the count that came closest.
//!
//! Reviewers see at a glance how much headroom is left, even when nothing fails.

use std::collections::BTreeMap;

use crate::tally::Tally;

/// The closest call per rule.
#[derive(Debug, Default)]
pub struct Largest {
    rows: BTreeMap<&'static str, Row>,
}

#[derive(Debug)]
struct Row {
    what: String,
    tally: Tally,
    limit: u64,
}

impl Largest {
    /// Keeps `tally` for `rule` if it is nearer its limit than what was kept.
    /// Empty counts say nothing worth a row.
    pub fn record(&mut self, rule: &str, what: &str, tally: Tally, limit: u64) {
        if tally == Tally::default() {
            return;
        }
        let Some(rule) = crate::rule_id(rule) else {
            return;
        };
        let nearer = |row: &Row| {
            tally.known as f64 / limit.max(1) as f64
                > row.tally.known as f64 / row.limit.max(1) as f64
        };
        match self.rows.get(rule) {
            Some(row) if !nearer(row) => {}
            _ => {
                self.rows.insert(
                    rule,
                    Row {
                        what: what.to_owned(),
                        tally,
                        limit,
                    },
                );
            }
        }
    }

    /// A markdown table, or nothing when no limit applied to this plan.
    pub fn markdown(&self) -> Option<String> {
        if self.rows.is_empty() {
            return None;
        }
        let mut out = String::from(
            "| rule | closest to its limit | count | limit |\n| --- | --- | ---: | ---: |\n",
        );
        for (rule, row) in &self.rows {
            let what = if row.what.is_empty() {
                "the plan".to_owned()
            } else {
                // A `|` in a for_each key would end the table cell.
                format!("`{}`", row.what.replace('|', "\\|"))
            };
            out += &format!(
                "| {rule} | {what} | {} | {} |\n",
                row.tally.short(),
                row.limit
            );
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_nearest_per_rule() {
        let mut largest = Largest::default();
        largest.record("LIM005", "aws_security_group.a", Tally::known(10), 60);
        largest.record("LIM005", "aws_security_group.b", Tally::known(50), 60);
        largest.record("LIM005", "aws_security_group.c", Tally::known(20), 60);
        largest.record("LIM009", "", Tally::known(3), 10);
        largest.record("LIM007", "aws_instance.a", Tally::known(0), 50);
        let table = largest.markdown().unwrap();
        assert!(
            table.contains("| LIM005 | `aws_security_group.b` | 50 | 60 |"),
            "{table}"
        );
        assert!(table.contains("| LIM009 | the plan | 3 | 10 |"), "{table}");
        assert!(!table.contains("LIM007"), "{table}");
        assert!(Largest::default().markdown().is_none());
    }
}
