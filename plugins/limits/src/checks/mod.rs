//! One module per rule (two for the load balancer, which shares its links),
//! and the context they report through.

pub mod alerts;
pub mod bucket_policy;
pub mod destroys;
pub mod iam_inline;
pub mod iam_managed;
pub mod lambda_environment;
pub mod load_balancers;
pub mod security_groups;
pub mod stateful;
pub mod tags;

use std::collections::BTreeMap;

use tfwarden_sdk::prelude::*;

use crate::links::{Links, Node};
use crate::settings::Resolved;
use crate::summary::Largest;
use crate::tally::{Tally, Verdict};

/// What every check reads and writes.
pub struct Context<'c, 'a> {
    pub links: &'c Links<'a>,
    pub settings: &'c Resolved,
    pub out: &'c mut Findings,
    pub largest: &'c mut Largest,
}

impl<'a> Context<'_, 'a> {
    /// Reports `tally` against `limit` on change `at`: a failure when it is
    /// certainly over, indeterminate when only the unknown parts could take
    /// it over. `describe` gets the count as text and the limit, and words the message.
    pub fn judge(
        &mut self,
        rule: &str,
        at: usize,
        path: &str,
        tally: Tally,
        limit: u64,
        describe: impl FnOnce(&str, u64) -> String,
    ) {
        let rc = *self.links.change(at);
        self.largest.record(rule, rc.address(), tally, limit);
        match tally.verdict(limit) {
            Verdict::Within => {}
            Verdict::Exceeds => {
                let message = describe(&tally.known.to_string(), limit);
                self.out.report(rule, &rc, path, message);
            }
            Verdict::Unclear => {
                let part = if tally.known == 0 && tally.unsure == 0 {
                    "it"
                } else {
                    "part of it"
                };
                let message = format!(
                    "{}; {part} is not known at plan time, so this cannot be checked yet",
                    describe(&tally.describe(), limit)
                );
                self.out.indeterminate(rule, &rc, path).message(message);
            }
        }
    }
}

/// The change a finding about `parent` attaches to: the parent when the plan
/// manages it, otherwise its first member in plan order.
pub fn anchor(parent: &Node, members: &[usize]) -> Option<usize> {
    match parent {
        Node::Change(i) => Some(*i),
        Node::External(_) => members.iter().min().copied(),
    }
}

/// How a parent is named in messages.
pub fn name_of<'a>(links: &Links<'a>, parent: &Node<'a>) -> String {
    match parent {
        Node::Change(i) => format!("`{}`", links.change(*i).address()),
        Node::External(id) => format!("`{id}` (not managed in this plan)"),
    }
}

/// "12 `aws_instance`, 3 `aws_s3_bucket`": the five most frequent types, for plan-level messages.
pub fn top_types(by_type: &BTreeMap<&str, u64>) -> String {
    let mut counts: Vec<(&&str, &u64)> = by_type.iter().collect();
    counts.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let parts: Vec<String> = counts
        .iter()
        .take(5)
        .map(|(t, n)| format!("{n} `{t}`"))
        .collect();
    parts.join(", ")
}
