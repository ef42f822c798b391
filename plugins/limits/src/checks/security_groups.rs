//! LIM005: rules per security group, per direction, for IPv4 and IPv6 separately.
//!
//! AWS counts a rule per source, not per block: every CIDR block is a rule, a
//! referenced security group counts once for IPv4 and once for IPv6, and a
//! prefix list counts as many rules as its maximum number of entries. Rules
//! come from inline `ingress`/`egress` blocks and from the three rule resources.

use std::collections::BTreeMap;

use tfwarden_sdk::prelude::*;

use super::{Context, anchor, name_of};
use crate::fields::{Field, planned};
use crate::links::{Kind, Links, Node, block_sets, exists_after};
use crate::measure::planned_len;
use crate::tally::{Tally, Verdict};

pub const RULE: &str = "LIM005";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Inbound,
    Outbound,
}

impl Direction {
    const BOTH: [Direction; 2] = [Direction::Inbound, Direction::Outbound];

    fn block(self) -> &'static str {
        match self {
            Direction::Inbound => "ingress",
            Direction::Outbound => "egress",
        }
    }

    fn word(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }

    fn of_rule_type(rule_type: &str) -> Option<Direction> {
        match rule_type {
            "ingress" => Some(Direction::Inbound),
            "egress" => Some(Direction::Outbound),
            _ => None,
        }
    }
}

/// The rules of one direction, counted for each address family.
#[derive(Debug, Default, Clone, Copy)]
struct Families {
    ipv4: Tally,
    ipv6: Tally,
}

impl std::ops::AddAssign for Families {
    fn add_assign(&mut self, other: Families) {
        self.ipv4 += other.ipv4;
        self.ipv6 += other.ipv6;
    }
}

impl Families {
    /// Rules that count for both families: referenced groups and prefix lists.
    fn both(tally: Tally) -> Self {
        Families {
            ipv4: tally,
            ipv6: tally,
        }
    }

    /// The same rules as doubt only, for rules whose security group is unknown.
    fn as_doubt(self) -> Self {
        let doubt = |t: Tally| Tally {
            known: 0,
            unsure: t.known + t.unsure,
            unbounded: t.unbounded,
        };
        Families {
            ipv4: doubt(self.ipv4),
            ipv6: doubt(self.ipv6),
        }
    }

    /// The family nearer to failing, and its name.
    fn worst(self, limit: u64) -> (&'static str, Tally) {
        let rank = |t: Tally| match t.verdict(limit) {
            Verdict::Exceeds => 2,
            Verdict::Unclear => 1,
            Verdict::Within => 0,
        };
        if (rank(self.ipv6), self.ipv6.known) > (rank(self.ipv4), self.ipv4.known) {
            ("IPv6", self.ipv6)
        } else {
            ("IPv4", self.ipv4)
        }
    }
}

/// Whether a security group's inline rules are its own configuration, or
/// AWS's current rules, which already include those of rule resources.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Inline {
    /// The block sets `ingress`/`egress`: Terraform makes them exactly so.
    #[default]
    Configured,
    /// Computed: the current rules, counted through the rule resources instead.
    Computed,
    /// No configuration says which: only the larger of the two sources is certain.
    Unsure,
}

#[derive(Default)]
struct Group {
    inline: [Families; 2],
    inline_kind: [Inline; 2],
    attached: [Families; 2],
    members: Vec<usize>,
    touched: bool,
}

impl Group {
    fn rules(&self, d: usize) -> Families {
        let (inline, attached) = (self.inline[d], self.attached[d]);
        match self.inline_kind[d] {
            Inline::Configured => {
                let mut total = inline;
                total += attached;
                total
            }
            Inline::Computed => attached,
            Inline::Unsure => Families {
                ipv4: overlap(inline.ipv4, attached.ipv4),
                ipv6: overlap(inline.ipv6, attached.ipv6),
            },
        }
    }
}

/// Two counts that may describe the same rules: the larger is certain, the smaller may add to it.
fn overlap(a: Tally, b: Tally) -> Tally {
    let (large, small) = if a.known >= b.known { (a, b) } else { (b, a) };
    Tally {
        known: large.known,
        unsure: large.unsure + small.known + small.unsure,
        unbounded: large.unbounded || small.unbounded,
    }
}

pub fn check(ctx: &mut Context) {
    let links = ctx.links;
    let mut groups: BTreeMap<Node, Group> = BTreeMap::new();
    let mut strays = [Families::default(); 2];

    for (i, rc) in links.changes.iter().enumerate() {
        if !exists_after(rc) {
            continue;
        }
        match rc.type_() {
            "aws_security_group" | "aws_default_security_group" => {
                let inline = planned(rc, ["ingress", "egress"]);
                let group = groups.entry(Node::Change(i)).or_default();
                group.touched |= rc.creates_or_updates();
                let config = links.block(i);
                for (d, direction) in Direction::BOTH.into_iter().enumerate() {
                    group.inline_kind[d] = match config {
                        None => Inline::Unsure,
                        Some(config) if block_sets(config, direction.block()) => Inline::Configured,
                        Some(_) => Inline::Computed,
                    };
                    if group.inline_kind[d] != Inline::Computed {
                        group.inline[d] = inline_rules(links, inline[d]);
                    }
                }
            }
            "aws_security_group_rule" => {
                let [
                    rule_type,
                    group_id,
                    cidrs,
                    ipv6_cidrs,
                    source,
                    self_,
                    prefix_lists,
                ] = planned(
                    rc,
                    [
                        "type",
                        "security_group_id",
                        "cidr_blocks",
                        "ipv6_cidr_blocks",
                        "source_security_group_id",
                        "self",
                        "prefix_list_ids",
                    ],
                );
                let mut rules = Families {
                    ipv4: list_count(cidrs),
                    ipv6: list_count(ipv6_cidrs),
                };
                rules += Families::both(set_or_computed(
                    links,
                    i,
                    source.value,
                    "source_security_group_id",
                ));
                rules += Families::both(flag(self_.value));
                rules += Families::both(prefix_list_count(links, prefix_lists.value));
                let parent = links.link(
                    i,
                    group_id.value,
                    &["security_group_id"],
                    Kind::SecurityGroup,
                );
                let directions: &[Direction] = match rule_type.value.str() {
                    Known(t) => match Direction::of_rule_type(&t) {
                        Some(Direction::Inbound) => &[Direction::Inbound],
                        Some(Direction::Outbound) => &[Direction::Outbound],
                        None => &[],
                    },
                    // Either direction could be meant: it is doubt for both.
                    _ => {
                        for stray in &mut strays {
                            *stray += rules.as_doubt();
                        }
                        continue;
                    }
                };
                for &direction in directions {
                    add_rule(
                        &mut groups,
                        &mut strays,
                        parent.clone(),
                        direction,
                        rules,
                        i,
                        rc,
                    );
                }
            }
            "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule" => {
                let direction = if rc.type_().ends_with("ingress_rule") {
                    Direction::Inbound
                } else {
                    Direction::Outbound
                };
                let [group_id, ipv4, ipv6, referenced, prefix_list] = planned(
                    rc,
                    [
                        "security_group_id",
                        "cidr_ipv4",
                        "cidr_ipv6",
                        "referenced_security_group_id",
                        "prefix_list_id",
                    ],
                );
                let mut rules = Families {
                    ipv4: set(ipv4.value),
                    ipv6: set(ipv6.value),
                };
                rules += Families::both(set(referenced.value));
                rules += Families::both(match prefix_list.value.str() {
                    Known(id) => Tally::known(prefix_list_weight(links, id.into_owned())),
                    Unknown => Tally::known(1),
                    Absent => Tally::default(),
                });
                let parent = links.link(
                    i,
                    group_id.value,
                    &["security_group_id"],
                    Kind::SecurityGroup,
                );
                add_rule(&mut groups, &mut strays, parent, direction, rules, i, rc);
            }
            _ => {}
        }
    }

    let limit = ctx.settings.limits.max_security_group_rules;
    for (node, group) in &groups {
        if !group.touched {
            continue;
        }
        let Some(at) = anchor(node, &group.members) else {
            continue;
        };
        let name = name_of(links, node);
        for (d, direction) in Direction::BOTH.into_iter().enumerate() {
            let mut rules = group.rules(d);
            rules += strays[d];
            let (family, tally) = rules.worst(limit);
            if tally.known == 0 && tally.unsure == 0 && !tally.unbounded {
                continue;
            }
            ctx.judge(RULE, at, direction.block(), tally, limit, |n, limit| {
                format!(
                    "security group {name} has {n} {} {family} rules (limit {limit}), counting each CIDR block, referenced group and prefix list entry as a rule",
                    direction.word()
                )
            });
        }
    }
}

fn add_rule<'a>(
    groups: &mut BTreeMap<Node<'a>, Group>,
    strays: &mut [Families; 2],
    parent: Option<Node<'a>>,
    direction: Direction,
    rules: Families,
    member: usize,
    rc: &ResourceChange,
) {
    let d = direction as usize;
    match parent {
        Some(node) => {
            let group = groups.entry(node).or_default();
            group.attached[d] += rules;
            group.members.push(member);
            group.touched |= rc.creates_or_updates();
        }
        None => strays[d] += rules.as_doubt(),
    }
}

/// The rules of all inline `ingress` or `egress` blocks of a security group.
fn inline_rules(links: &Links, blocks: Field) -> Families {
    let mut total = Families::default();
    match blocks.items() {
        Known(blocks) => {
            for block in blocks {
                let [cidrs, ipv6_cidrs, groups, self_, prefix_lists] = block.members([
                    "cidr_blocks",
                    "ipv6_cidr_blocks",
                    "security_groups",
                    "self",
                    "prefix_list_ids",
                ]);
                total += Families {
                    ipv4: list_count(cidrs),
                    ipv6: list_count(ipv6_cidrs),
                };
                total += Families::both(list_count(groups));
                total += Families::both(flag(self_.value));
                total += Families::both(prefix_list_count(links, prefix_lists.value));
            }
        }
        Unknown => total = Families::both(Tally::unbounded()),
        Absent => {}
    }
    total
}

fn list_count(list: Field) -> Tally {
    match planned_len(list.value, list.mask) {
        Known(n) => Tally::known(n as u64),
        Unknown => Tally::unbounded(),
        Absent => Tally::default(),
    }
}

/// One rule when an optional, computed attribute is set. Unknown can mean
/// "computed, not set", so the configuration decides; without one it is doubt.
fn set_or_computed(links: &Links, at: usize, value: Value, key: &str) -> Tally {
    if !value.is_unknown() {
        return set(value);
    }
    match links.block(at) {
        Some(block) if block_sets(block, key) => Tally::known(1),
        Some(_) => Tally::default(),
        None => Tally {
            known: 0,
            unsure: 1,
            unbounded: false,
        },
    }
}

/// One rule when the attribute is set, even to a value known only after apply.
fn set(value: Value) -> Tally {
    match value.str() {
        Known(s) if s.is_empty() => Tally::default(),
        Known(_) | Unknown => Tally::known(1),
        Absent => Tally::default(),
    }
}

fn flag(value: Value) -> Tally {
    match value.bool() {
        Known(true) => Tally::known(1),
        Known(false) | Absent => Tally::default(),
        // `self` unknown is either no rule or one.
        Unknown => Tally {
            known: 0,
            unsure: 1,
            unbounded: false,
        },
    }
}

fn prefix_list_count(links: &Links, ids: Value) -> Tally {
    match ids.items() {
        Known(ids) => {
            let weights = ids.iter().map(|id| match id.str() {
                Known(id) => prefix_list_weight(links, id.into_owned()),
                _ => 1,
            });
            Tally::known(weights.sum())
        }
        Unknown => Tally::unbounded(),
        Absent => Tally::default(),
    }
}

/// A prefix list counts as its maximum number of entries when the plan shows
/// it; otherwise as one rule, the least it can be.
fn prefix_list_weight(links: &Links, id: String) -> u64 {
    match links.by_id(Kind::PrefixList, id.into()) {
        Node::Change(p) => match links.change(p).after().get("max_entries").i64() {
            Known(n) if n > 0 => n as u64,
            _ => 1,
        },
        Node::External(_) => 1,
    }
}
