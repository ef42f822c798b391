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

    fn of_rule_resource(
        rc: &ResourceChange,
        rule_type: Attr<std::borrow::Cow<str>>,
    ) -> Attr<Direction> {
        match rc.type_() {
            "aws_vpc_security_group_ingress_rule" => Known(Direction::Inbound),
            "aws_vpc_security_group_egress_rule" => Known(Direction::Outbound),
            _ => match rule_type {
                Known(t) if t == "ingress" => Known(Direction::Inbound),
                Known(t) if t == "egress" => Known(Direction::Outbound),
                Known(_) | Absent => Absent,
                Unknown => Unknown,
            },
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

    /// The same rules as doubt only.
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

    /// `self` without the certain rules of `leaving`, which may or may not be among them.
    fn without(self, leaving: Families) -> Self {
        let minus = |t: Tally, l: Tally| Tally {
            known: t.known.saturating_sub(l.known),
            ..t
        };
        Families {
            ipv4: minus(self.ipv4, leaving.ipv4),
            ipv6: minus(self.ipv6, leaving.ipv6),
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

/// What the configuration says about a group's inline rules in one direction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Inline {
    /// Set by static blocks: Terraform makes the rules exactly so.
    #[default]
    Configured,
    /// Not in the configuration: either unset, when the planned rules are
    /// AWS's current ones (those of rule resources included), or written as
    /// `dynamic` blocks, which the configuration leaves out.
    NotShown,
    /// No configuration to ask.
    Unknown,
}

/// One direction of one security group.
#[derive(Debug, Default, Clone, Copy)]
struct Side {
    inline: Families,
    inline_is: Inline,
    /// Rules from rule resources this plan creates.
    created: Families,
    /// Rules from rule resources that exist already and stay.
    kept: Families,
    /// Rules from rule resources this plan deletes.
    leaving: Families,
}

impl Side {
    fn rules(&self) -> Families {
        let mut total = self.inline;
        match self.inline_is {
            Inline::Configured => {
                total += self.created;
                total += self.kept;
            }
            // Unset: the current rules, less those deleted, plus those created.
            // Dynamic blocks beside rule resources fight each other; that is not modelled.
            Inline::NotShown => {
                total = total.without(self.leaving);
                total += self.created;
            }
            // Either of the above: only what both agree on is certain.
            Inline::Unknown => {
                total = total.without(self.leaving);
                total += self.created;
                total += self.leaving.as_doubt();
                total += self.kept.as_doubt();
            }
        }
        total
    }
}

#[derive(Default)]
struct Group {
    sides: [Side; 2],
    members: Vec<usize>,
    touched: bool,
}

/// Where a rule resource's rules go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Created,
    Kept,
    Leaving,
}

pub fn check(ctx: &mut Context) {
    let links = ctx.links;
    let mut groups: BTreeMap<Node, Group> = BTreeMap::new();
    let mut strays = [Families::default(); 2];

    for (i, rc) in links.changes.iter().enumerate() {
        let role = match rc.kind() {
            _ if !rc.is_managed() => continue,
            ChangeKind::Create => Role::Created,
            ChangeKind::Delete => Role::Leaving,
            _ if exists_after(rc) => Role::Kept,
            _ => continue,
        };
        match rc.type_() {
            "aws_security_group" | "aws_default_security_group" if role != Role::Leaving => {
                add_group(links, i, rc, groups.entry(Node::Change(i)).or_default());
            }
            "aws_security_group_rule"
            | "aws_vpc_security_group_ingress_rule"
            | "aws_vpc_security_group_egress_rule" => {
                let Some((parent, direction, rules)) = rule_resource(links, i, rc, role) else {
                    continue;
                };
                let direction = match direction {
                    Known(direction) => direction,
                    Absent => continue,
                    // Either direction could be meant: it is doubt for both.
                    Unknown => {
                        for stray in &mut strays {
                            *stray += rules.as_doubt();
                        }
                        continue;
                    }
                };
                let d = direction as usize;
                match (parent, role) {
                    (Some(node), _) => {
                        let group = groups.entry(node).or_default();
                        let side = &mut group.sides[d];
                        match role {
                            Role::Created => side.created += rules,
                            Role::Kept => side.kept += rules,
                            Role::Leaving => side.leaving += rules,
                        }
                        // A delete only lowers the count: on its own it is no reason to report.
                        if role != Role::Leaving {
                            group.members.push(i);
                            group.touched |= rc.creates_or_updates();
                        }
                    }
                    (None, Role::Leaving) => {}
                    (None, _) => strays[d] += rules.as_doubt(),
                }
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
            let mut rules = group.sides[d].rules();
            rules += strays[d];
            let (family, tally) = rules.worst(limit);
            if tally == Tally::default() {
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

/// Reads a security group's own inline rules.
fn add_group(links: &Links, i: usize, rc: &ResourceChange, group: &mut Group) {
    group.touched |= rc.creates_or_updates();
    let inline = planned(rc, ["ingress", "egress"]);
    let config = links.block(i);
    for (d, direction) in Direction::BOTH.into_iter().enumerate() {
        let side = &mut group.sides[d];
        side.inline_is = match config {
            None => Inline::Unknown,
            Some(config) if block_sets(config, direction.block()) => Inline::Configured,
            Some(_) => Inline::NotShown,
        };
        side.inline = match (side.inline_is, inline[d].value.is_unknown()) {
            // Computed for a new group: it will hold what the rule resources add.
            (Inline::NotShown, true) => Families::default(),
            _ => inline_rules(links, inline[d]),
        };
    }
}

/// The group, direction and rules of one rule resource. A deleted one is read
/// from its prior values, with the same counting, so that what it takes away
/// matches what it added.
fn rule_resource<'a>(
    links: &Links<'a>,
    i: usize,
    rc: &ResourceChange<'a>,
    role: Role,
) -> Option<(Option<Node<'a>>, Attr<Direction>, Families)> {
    const RULE_FIELDS: [&str; 7] = [
        "type",
        "security_group_id",
        "cidr_blocks",
        "ipv6_cidr_blocks",
        "source_security_group_id",
        "self",
        "prefix_list_ids",
    ];
    const VPC_RULE_FIELDS: [&str; 5] = [
        "security_group_id",
        "cidr_ipv4",
        "cidr_ipv6",
        "referenced_security_group_id",
        "prefix_list_id",
    ];
    let leaving = role == Role::Leaving;
    let parent_of = |group_id: Value<'a>| match leaving {
        true => group_id
            .str()
            .known()
            .map(|id| links.by_id(Kind::SecurityGroup, id)),
        false => links.link(i, group_id, &["security_group_id"], Kind::SecurityGroup),
    };
    if rc.type_() == "aws_security_group_rule" {
        let [
            rule_type,
            group_id,
            cidrs,
            ipv6_cidrs,
            source,
            self_,
            prefix_lists,
        ] = if leaving {
            prior(rc, RULE_FIELDS)
        } else {
            planned(rc, RULE_FIELDS)
        };
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
        let direction = Direction::of_rule_resource(rc, rule_type.value.str());
        return Some((parent_of(group_id.value), direction, rules));
    }
    let [group_id, ipv4, ipv6, referenced, prefix_list] = if leaving {
        prior(rc, VPC_RULE_FIELDS)
    } else {
        planned(rc, VPC_RULE_FIELDS)
    };
    let rules = single_rule(
        links,
        ipv4.value,
        ipv6.value,
        referenced.value,
        prefix_list.value,
    );
    Some((
        parent_of(group_id.value),
        Direction::of_rule_resource(rc, Absent),
        rules,
    ))
}

/// Attributes of a change's prior values, which have no unknown parts.
fn prior<'a, const N: usize>(rc: &ResourceChange<'a>, names: [&str; N]) -> [Field<'a>; N] {
    let before = rc.before();
    names.map(|name| Field {
        value: before.get(name),
        mask: Default::default(),
    })
}

/// The one rule an `aws_vpc_security_group_*_rule` adds.
fn single_rule(
    links: &Links,
    ipv4: Value,
    ipv6: Value,
    referenced: Value,
    prefix_list: Value,
) -> Families {
    let mut rules = Families {
        ipv4: set(ipv4),
        ipv6: set(ipv6),
    };
    rules += Families::both(set(referenced));
    rules += Families::both(match prefix_list.str() {
        Known(id) => Tally::known(prefix_list_weight(links, id.into_owned())),
        Unknown => Tally::known(1),
        Absent => Tally::default(),
    });
    rules
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
