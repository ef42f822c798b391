//! LIM004: the inline policies of one IAM role, user or group, together.
//!
//! IAM limits the sum of an identity's inline policies (role 10,240, user
//! 2,048, group 5,120 characters, white space not counted). They come from
//! `aws_iam_*_policy` resources and from a role's own `inline_policy` blocks;
//! a policy that appears in both is counted once, by name.

use std::collections::{BTreeMap, BTreeSet};

use tfwarden_sdk::prelude::*;

use super::{Context, anchor, name_of};
use crate::links::{Kind, Node, exists_after};
use crate::measure::{document_size, policy_chars};
use crate::tally::Tally;

pub const RULE: &str = "LIM004";

/// One kind of identity and the resource that attaches inline policies to it.
struct Identity {
    kind: Kind,
    noun: &'static str,
    policy_type: &'static str,
    /// The policy resource's argument that names the identity.
    link: &'static str,
}

const IDENTITIES: [Identity; 3] = [
    Identity {
        kind: Kind::Role,
        noun: "role",
        policy_type: "aws_iam_role_policy",
        link: "role",
    },
    Identity {
        kind: Kind::User,
        noun: "user",
        policy_type: "aws_iam_user_policy",
        link: "user",
    },
    Identity {
        kind: Kind::Group,
        noun: "group",
        policy_type: "aws_iam_group_policy",
        link: "group",
    },
];

#[derive(Default)]
struct Holder {
    /// Policies the identity lists itself (a role's `inline_policy`), by name.
    listed: BTreeMap<String, Tally>,
    /// Policies from policy resources, by name; they win over listed ones.
    attached: BTreeMap<String, (Tally, usize)>,
    /// Policies whose names are not known yet; they cannot be listed already.
    unnamed: Tally,
    /// Names of policies this plan deletes or replaces, which the identity may still list.
    leaving: BTreeSet<String>,
    members: Vec<usize>,
    touched: bool,
}

impl Holder {
    fn total(&self) -> Tally {
        let mut total = self.unnamed;
        for (name, size) in &self.listed {
            if !self.attached.contains_key(name) && !self.leaving.contains(name) {
                total += *size;
            }
        }
        for (size, _) in self.attached.values() {
            total += *size;
        }
        total
    }
}

pub fn check(ctx: &mut Context) {
    let links = ctx.links;
    let settings = ctx.settings;
    let limits = &settings.limits;
    let limit_of = |kind: Kind| match kind {
        Kind::User => limits.max_user_inline_policy_chars,
        Kind::Group => limits.max_group_inline_policy_chars,
        _ => limits.max_role_inline_policy_chars,
    };
    let mut holders: [BTreeMap<Node, Holder>; 3] = Default::default();
    let mut strays = [Tally::default(); 3];

    for (i, rc) in links.changes.iter().enumerate() {
        let kind = Kind::of(rc.type_());
        let Some(k) = IDENTITIES
            .iter()
            .position(|id| id.policy_type == rc.type_() || kind == Some(id.kind))
        else {
            continue;
        };
        let identity = &IDENTITIES[k];
        if rc.type_() != identity.policy_type {
            if exists_after(rc) {
                let holder = holders[k].entry(Node::Change(i)).or_default();
                holder.touched |= rc.creates_or_updates();
                if identity.kind == Kind::Role {
                    list_role_policies(ctx, i, holder);
                }
            }
            continue;
        }
        if rc.destroys() {
            // The identity may still list what this deletes or replaces; that
            // one will be gone (a replacement is counted below under its new name).
            let before = rc.before();
            if let (Known(owner), Known(name)) =
                (before.get(identity.link).str(), before.get("name").str())
            {
                let node = links.by_id(identity.kind, owner);
                holders[k]
                    .entry(node)
                    .or_default()
                    .leaving
                    .insert(name.into_owned());
            }
            if rc.is_delete() {
                continue;
            }
        }
        if !exists_after(rc) {
            continue;
        }
        let after = rc.after();
        let Some(size) = document_size(after.get("policy"), policy_chars) else {
            continue;
        };
        match links.link(i, after.get(identity.link), &[identity.link], identity.kind) {
            Some(node) => {
                let holder = holders[k].entry(node).or_default();
                holder.members.push(i);
                holder.touched |= rc.creates_or_updates();
                match after.get("name").str() {
                    Known(name) => {
                        holder.attached.insert(name.into_owned(), (size, i));
                    }
                    _ => holder.unnamed += size,
                }
            }
            None if size.known > limit_of(identity.kind) && rc.creates_or_updates() => {
                // Alone over the limit: whichever identity it lands on is over.
                ctx.judge(RULE, i, "policy", size, limit_of(identity.kind), |n, limit| {
                    format!(
                        "this inline policy alone is {n} characters without white space, more than any {} can hold (limit {limit})",
                        identity.noun
                    )
                });
            }
            None => {
                strays[k] += Tally {
                    known: 0,
                    unsure: size.known + size.unsure,
                    unbounded: size.unbounded,
                }
            }
        }
    }

    for (k, identity) in IDENTITIES.iter().enumerate() {
        let limit = limit_of(identity.kind);
        for (node, holder) in &holders[k] {
            if !holder.touched {
                continue;
            }
            let Some(at) = anchor(node, &holder.members) else {
                continue;
            };
            let mut total = holder.total();
            total += strays[k];
            if total == Tally::default() {
                continue;
            }
            let name = name_of(links, node);
            let largest = largest_policies(holder, links);
            ctx.judge(RULE, at, "", total, limit, |n, limit| {
                format!(
                    "the inline policies of IAM {} {name} total {n} characters without white space (limit {limit}){largest}",
                    identity.noun
                )
            });
        }
    }
}

/// Adds a role's own `inline_policy` blocks.
fn list_role_policies(ctx: &Context, at: usize, holder: &mut Holder) {
    let rc = ctx.links.change(at);
    match rc.after().get("inline_policy").items() {
        Known(policies) => {
            for policy in policies {
                let Some(size) = document_size(policy.get("policy"), policy_chars) else {
                    continue;
                };
                match policy.get("name").str() {
                    Known(name) => {
                        holder.listed.insert(name.into_owned(), size);
                    }
                    _ => holder.unnamed += size,
                }
            }
        }
        // Computed when not configured: then it lists only what policy
        // resources attach, and those are counted on their own.
        Unknown if ctx.links.configures(at, "inline_policy") => {
            holder.unnamed += Tally::unbounded()
        }
        Unknown | Absent => {}
    }
}

/// ": `a` 6,100, `b` 900" — the largest policy resources, for the message.
fn largest_policies(holder: &Holder, links: &crate::links::Links) -> String {
    let mut sizes: Vec<(Tally, String)> = holder
        .attached
        .values()
        .map(|(size, i)| (*size, links.change(*i).address().to_owned()))
        .chain(
            holder
                .listed
                .iter()
                .filter(|(name, _)| {
                    !holder.attached.contains_key(*name) && !holder.leaving.contains(*name)
                })
                .map(|(name, size)| (*size, format!("inline_policy {name}"))),
        )
        .collect();
    // Unknown sizes first: they are what a reviewer needs to look at.
    sizes.sort_by(|a, b| {
        (b.0.unbounded, b.0.known)
            .cmp(&(a.0.unbounded, a.0.known))
            .then_with(|| a.1.cmp(&b.1))
    });
    if sizes.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = sizes
        .iter()
        .take(3)
        .map(|(size, what)| match size.unbounded && size.known == 0 {
            true => format!("`{what}` (known after apply)"),
            false => format!("`{what}` {}", size.describe()),
        })
        .collect();
    format!("; largest: {}", parts.join(", "))
}
