//! LIM007: tags per AWS resource.
//!
//! AWS allows 50 tags on most resources (10 on S3 objects), counting the
//! provider's `default_tags`, which `tags_all` holds. Tags whose keys start
//! with `aws:` are AWS's own and do not count. When `tags_all` is known only
//! after apply, the resource's own tags are certain and the provider's
//! default tags, read from the configuration, are the doubt.

use std::borrow::Cow;
use std::collections::BTreeSet;

use tfwarden_sdk::prelude::*;

use super::Context;
use crate::config::DefaultTags;
use crate::fields::planned;
use crate::measure::planned_keys;
use crate::tally::Tally;

pub const RULE: &str = "LIM007";

pub fn check(ctx: &mut Context) {
    for (i, rc) in ctx.links.changes.iter().enumerate() {
        if rc.provider() != "aws" || !rc.creates_or_updates() {
            continue;
        }
        let Some(tally) = tag_count(ctx, i, rc) else {
            continue;
        };
        let limit = ctx.settings.tag_limit(rc.type_());
        ctx.judge(RULE, i, "tags", tally, limit, |n, limit| {
            format!(
                "this resource has {n} tags, counting the provider's default tags (limit {limit})"
            )
        });
    }
}

fn tag_count(ctx: &Context, i: usize, rc: &ResourceChange) -> Option<Tally> {
    // A resource without tags is skipped by a substring search, far cheaper than a parse.
    let mentions_tags =
        |json: &Option<String>| json.as_deref().is_some_and(|j| j.contains("\"tags"));
    if !mentions_tags(&rc.raw().after) && !mentions_tags(&rc.raw().after_unknown) {
        return None;
    }
    let [tags, tags_all] = planned(rc, ["tags", "tags_all"]);
    if tags_all.value.is_known() {
        return Some(Tally::known(user_tags(planned_keys(
            tags_all.value,
            tags_all.mask,
        ))?));
    }
    let tags_all = tags_all.value;
    let own = match planned_keys(tags.value, tags.mask) {
        Unknown => return Some(Tally::unbounded()),
        keys => user_tags(keys).unwrap_or(0),
    };
    if tags_all.is_absent() {
        // Not an AWS provider resource with `tags_all`: its own tags are all there is.
        return (own > 0).then(|| Tally::known(own));
    }
    Some(match ctx.links.config().default_tags(ctx.links.block(i)) {
        DefaultTags::Count(defaults) => Tally {
            known: own,
            unsure: defaults,
            unbounded: false,
        },
        DefaultTags::Unknown => Tally {
            known: own,
            unsure: 0,
            unbounded: true,
        },
    })
}

/// The number of keys that count toward the quota.
fn user_tags(keys: Attr<BTreeSet<Cow<'_, str>>>) -> Option<u64> {
    match keys {
        Known(keys) => Some(keys.iter().filter(|k| !k.starts_with("aws:")).count() as u64),
        _ => None,
    }
}
