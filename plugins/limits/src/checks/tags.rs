//! LIM007: tags per AWS resource.
//!
//! AWS allows 50 tags on most resources (10 on S3 objects), counting the
//! provider's `default_tags`, which `tags_all` holds. Tags whose keys start
//! with `aws:` are AWS's own and do not count. When `tags_all` is known only
//! after apply, the default tags are taken from the provider's configuration,
//! or, when that names a variable, bounded by what other resources of the
//! same provider reveal in their known `tags_all`.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use tfwarden_sdk::prelude::*;

use super::Context;
use crate::config::DefaultTags;
use crate::fields::planned;
use crate::links::exists_after;
use crate::measure::planned_keys;
use crate::tally::{Tally, Verdict};

pub const RULE: &str = "LIM007";

/// What resources with a known `tags_all` reveal about their provider's default tags.
#[derive(Debug, Default)]
struct Revealed {
    /// Keys some resource has in `tags_all` but not among its own tags: default tags.
    certain: BTreeSet<String>,
    /// Keys every such resource has in `tags_all`: the default tags are among them.
    possible: Option<BTreeSet<String>>,
}

/// A resource whose `tags_all` is known only after apply, judged once the
/// whole plan has been read.
struct Pending<'a> {
    at: usize,
    own: BTreeSet<Cow<'a, str>>,
    provider: &'a str,
}

pub fn check(ctx: &mut Context) {
    let links = ctx.links;
    let learning = links.config().may_hide_default_tags();
    let mut revealed: HashMap<&str, Revealed> = HashMap::new();
    let mut pending = Vec::new();
    for (i, rc) in links.changes.iter().enumerate() {
        if rc.provider() != "aws" || !exists_after(rc) || !mentions_tags(rc) {
            continue;
        }
        let [tags, tags_all] = planned(rc, ["tags", "tags_all"]);
        let own = || planned_keys(tags.value).map(user_keys);
        let provider = || links.block(i).and_then(|b| b.provider_key()).unwrap_or("");
        match planned_keys(tags_all.value).map(user_keys) {
            Known(all) => {
                // Only where the configuration does not spell the default tags out.
                if learning && *links.config().default_tags(links.block(i)) == DefaultTags::Unknown
                {
                    let own = own().known().unwrap_or_default();
                    learn(revealed.entry(provider()).or_default(), &all, &own);
                }
                if rc.creates_or_updates() {
                    judge(ctx, i, Tally::known(all.len() as u64));
                }
            }
            _ if !rc.creates_or_updates() => {}
            // No `tags_all`: the provider adds no default tags to this type.
            Absent => {
                if let Known(own) = own() {
                    judge(ctx, i, Tally::known(own.len() as u64));
                }
            }
            Unknown => match own() {
                Known(own) => pending.push(Pending {
                    at: i,
                    own,
                    provider: provider(),
                }),
                Absent => pending.push(Pending {
                    at: i,
                    own: BTreeSet::new(),
                    provider: provider(),
                }),
                Unknown => judge(ctx, i, Tally::unbounded()),
            },
        }
    }

    // Counts that no configuration and no other resource can bound are
    // reported once, on the resource with the most tags of its own.
    let mut unexplained: Vec<(usize, Tally)> = Vec::new();
    for p in pending {
        let known_defaults = links.config().default_tags(links.block(p.at));
        let tally = match known_defaults {
            DefaultTags::Keys(defaults) => Tally::known(union_len(&p.own, defaults)),
            DefaultTags::Unknown => match revealed.get(p.provider) {
                Some(r) => {
                    let certain = union_len(&p.own, &r.certain);
                    match &r.possible {
                        Some(possible) => Tally {
                            known: certain,
                            unsure: union_len(&p.own, possible).saturating_sub(certain),
                            unbounded: false,
                        },
                        None => Tally {
                            known: certain,
                            unsure: 0,
                            unbounded: true,
                        },
                    }
                }
                None => Tally {
                    known: p.own.len() as u64,
                    unsure: 0,
                    unbounded: true,
                },
            },
        };
        let limit = ctx.settings.tag_limit(links.change(p.at).type_());
        if tally.unbounded && tally.verdict(limit) == Verdict::Unclear {
            unexplained.push((p.at, tally));
        } else {
            judge(ctx, p.at, tally);
        }
    }
    report_unexplained(ctx, unexplained);
}

fn judge(ctx: &mut Context, at: usize, tally: Tally) {
    let limit = ctx.settings.tag_limit(ctx.links.change(at).type_());
    ctx.judge(RULE, at, "tags", tally, limit, |n, limit| {
        format!("this resource has {n} tags, counting the provider's default tags (limit {limit})")
    });
}

fn report_unexplained(ctx: &mut Context, mut unexplained: Vec<(usize, Tally)>) {
    unexplained.sort_by(|a, b| b.1.known.cmp(&a.1.known).then(a.0.cmp(&b.0)));
    let Some(&(at, tally)) = unexplained.first() else {
        return;
    };
    let rc = *ctx.links.change(at);
    let limit = ctx.settings.tag_limit(rc.type_());
    ctx.largest.record(RULE, rc.address(), tally, limit);
    let others: Vec<String> = unexplained[1..]
        .iter()
        .take(3)
        .map(|(i, _)| format!("`{}`", ctx.links.change(*i).address()))
        .collect();
    let others = match unexplained.len() - 1 {
        0 => String::new(),
        1 => format!(
            "; the same goes for 1 other resource: {}",
            others.join(", ")
        ),
        n => format!(
            "; the same goes for {n} other resources, such as {}",
            others.join(", ")
        ),
    };
    let message = format!(
        "this resource has {} tags of its own, and its provider's `default_tags` come from an expression this plan does not spell out, \
         while `tags_all` is known only after apply (limit {limit}){others}",
        tally.known
    );
    ctx.out.indeterminate(RULE, &rc, "tags").message(message);
}

/// Skips resources without tags by a substring search, far cheaper than a parse.
fn mentions_tags(rc: &ResourceChange) -> bool {
    let mentions = |json: &Option<String>| json.as_deref().is_some_and(|j| j.contains("\"tags"));
    mentions(&rc.raw().after) || mentions(&rc.raw().after_unknown)
}

/// The keys that count toward the quota: not AWS's own `aws:` ones.
fn user_keys<'a>(keys: BTreeSet<Cow<'a, str>>) -> BTreeSet<Cow<'a, str>> {
    keys.into_iter()
        .filter(|k| !k.starts_with("aws:"))
        .collect()
}

/// `tags_all` is the default tags merged with the resource's own: keys that are
/// not its own must be default tags, and default tags can be no other keys.
fn learn(revealed: &mut Revealed, all: &BTreeSet<Cow<str>>, own: &BTreeSet<Cow<str>>) {
    for key in all.difference(own) {
        if !revealed.certain.contains(key.as_ref()) {
            revealed.certain.insert(key.to_string());
        }
    }
    match &mut revealed.possible {
        Some(possible) => possible.retain(|k| all.contains(k.as_str())),
        None => revealed.possible = Some(all.iter().map(|k| k.to_string()).collect()),
    }
}

fn union_len(own: &BTreeSet<Cow<str>>, defaults: &BTreeSet<String>) -> u64 {
    (own.len()
        + defaults
            .iter()
            .filter(|k| !own.contains(k.as_str()))
            .count()) as u64
}
