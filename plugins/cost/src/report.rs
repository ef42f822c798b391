//! The cost summary every report shows (terminal, JSON, and the PR review's
//! markdown) and the metrics behind it.
//!
//! It stays short on purpose: the largest changes, the total, what depends on
//! usage, and what could not be priced and why.

use std::collections::BTreeMap;
use std::fmt::Write;

use tfwarden_sdk::prelude::*;

use crate::budget::Totals;
use crate::costing::{Coverage, ResourceCost};
use crate::estimate::{Estimate, Quantity};
use crate::money::{signed_usd, unit_price, usd};
use crate::prices;
use crate::region::Origin;

/// Rows of the largest changes, and entries of each list, before "and N more".
const TOP_CHANGES: usize = 10;
const LIST_LIMIT: usize = 10;
/// Changes smaller than half a cent are no change.
const CENT: f64 = 0.005;

pub fn write(costs: &[ResourceCost], totals: &Totals, out: &mut Findings) {
    out.summary(markdown(costs, totals));
    for cost in costs {
        if cost.before.is_complete() {
            out.metric(
                format!("cost.before:{}", cost.rc.address()),
                cost.before.known_monthly(),
            );
        }
        if cost.after.is_complete() {
            out.metric(
                format!("cost.after:{}", cost.rc.address()),
                cost.after.known_monthly(),
            );
        }
    }
    out.metric("cost.total.before", totals.before);
    out.metric("cost.total.after", totals.after);
    out.metric("cost.total.delta", totals.delta());
    if let Some(percent) = totals.percent() {
        out.metric("cost.total.delta_percent", percent);
    }
    let unpriced = costs.iter().filter(|c| c.is_open()).count();
    out.metric("cost.unpriced", unpriced as f64);
}

pub fn markdown(costs: &[ResourceCost], totals: &Totals) -> String {
    let mut md = String::new();
    headline(&mut md, costs, totals);
    changes_table(&mut md, costs, totals);
    not_priced(&mut md, costs);
    depends_on_usage(&mut md, costs);
    default_regions(&mut md, costs);
    let _ = write!(
        md,
        "\n_USD list prices, on-demand, 730 hours a month; {}._\n",
        prices::provenance()
    );
    md
}

fn headline(md: &mut String, costs: &[ResourceCost], totals: &Totals) {
    md.push_str("### Monthly cost estimate\n\n");
    let open = !totals.open_before.is_empty() || !totals.open_after.is_empty();
    let bound = if open {
        " (priced part only; see *Not priced*)"
    } else {
        ""
    };
    if costs.iter().all(|c| c.coverage == Coverage::UsageOnly) {
        md.push_str("No resource in this plan has a fixed monthly cost the plugin prices.\n");
        return;
    }
    let percent = totals
        .percent()
        .map_or(String::new(), |p| format!(", {p:+.1}%"));
    let _ = writeln!(
        md,
        "**{} → {}** ({}{percent}){bound}",
        usd(totals.before),
        usd(totals.after),
        signed_usd(totals.delta())
    );
}

fn amount(estimate: &Estimate) -> String {
    match estimate {
        Estimate::Absent => "–".into(),
        Estimate::Unpriced(_) => "?".into(),
        e if e.is_complete() => usd(e.known_monthly()),
        e => format!("≥ {}", usd(e.known_monthly())),
    }
}

fn changes_table(md: &mut String, costs: &[ResourceCost], totals: &Totals) {
    let mut changed: Vec<&ResourceCost> =
        costs.iter().filter(|c| c.delta().abs() >= CENT).collect();
    if changed.is_empty() {
        return;
    }
    changed.sort_by(|a, b| {
        b.delta()
            .abs()
            .total_cmp(&a.delta().abs())
            .then_with(|| a.rc.address().cmp(b.rc.address()))
    });
    md.push_str("\n| Resource | Before | After | Change |\n|:--|--:|--:|--:|\n");
    for cost in changed.iter().take(TOP_CHANGES) {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            code(cost.rc.address()),
            amount(&cost.before),
            amount(&cost.after),
            signed_usd(cost.delta())
        );
    }
    if changed.len() > TOP_CHANGES {
        let rest: f64 = changed[TOP_CHANGES..].iter().map(|c| c.delta()).sum();
        let _ = writeln!(
            md,
            "| … {} more | | | {} |",
            changed.len() - TOP_CHANGES,
            signed_usd(rest)
        );
    }
    let _ = writeln!(
        md,
        "| **Total** | **{}** | **{}** | **{}** |",
        usd(totals.before),
        usd(totals.after),
        signed_usd(totals.delta())
    );
}

fn not_priced(md: &mut String, costs: &[ResourceCost]) {
    let mut open: Vec<&ResourceCost> = costs.iter().filter(|c| c.is_open()).collect();
    if open.is_empty() {
        return;
    }
    // Changing resources first: they are what the review is about.
    open.sort_by_key(|c| (c.rc.kind() == ChangeKind::NoOp, c.rc.address()));
    let mut categories: BTreeMap<&str, usize> = BTreeMap::new();
    for cost in &open {
        let side = if cost.after.is_complete() {
            &cost.before
        } else {
            &cost.after
        };
        if let Some((_, reason)) = side.missing().first() {
            *categories.entry(reason.category()).or_default() += 1;
        }
    }
    let counts: Vec<String> = categories.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let _ = writeln!(
        md,
        "\n**Not priced** (never counted as $0): {}\n",
        counts.join(", ")
    );
    for cost in open.iter().take(LIST_LIMIT) {
        let side = if cost.after.is_complete() {
            &cost.before
        } else {
            &cost.after
        };
        let reasons: Vec<String> = side
            .missing()
            .iter()
            .map(|(part, reason)| {
                if part.is_empty() {
                    reason.to_string()
                } else {
                    format!("{part}: {reason}")
                }
            })
            .collect();
        let partly = if matches!(side, Estimate::Priced(_)) {
            "partly priced; "
        } else {
            ""
        };
        let _ = writeln!(
            md,
            "- {}: {partly}{}",
            code(cost.rc.address()),
            reasons.join("; ")
        );
    }
    more(md, open.len());
}

fn depends_on_usage(md: &mut String, costs: &[ResourceCost]) {
    // (component, unit price, unit, usage key) -> addresses
    let mut groups: BTreeMap<(String, String, &str, &str), Vec<&str>> = BTreeMap::new();
    let mut usage_only: Vec<&str> = Vec::new();
    for cost in costs
        .iter()
        .filter(|c| !matches!(c.after, Estimate::Absent))
    {
        if cost.coverage == Coverage::UsageOnly {
            usage_only.push(cost.rc.address());
            continue;
        }
        for c in cost.after.components() {
            if let (Quantity::DependsOnUsage { key }, Ok(price)) = (c.quantity, &c.price) {
                let name = c.name.rsplit(" / ").next().unwrap_or(&c.name).to_string();
                groups
                    .entry((name, unit_price(*price), c.unit, key))
                    .or_default()
                    .push(cost.rc.address());
            }
        }
    }
    if groups.is_empty() && usage_only.is_empty() {
        return;
    }
    md.push_str("\n**Depends on usage** (not in the totals; give figures in the `usage` setting to price them):\n\n");
    for ((name, price, unit, key), addresses) in groups.iter().take(LIST_LIMIT) {
        let who = match addresses.as_slice() {
            [one] => code(one),
            [first, rest @ ..] => format!("{} and {} more", code(first), rest.len()),
            [] => continue,
        };
        let _ = writeln!(md, "- {name}: {price} per {unit}, {who} (`{key}`)");
    }
    more(md, groups.len());
    if !usage_only.is_empty() {
        let shown: Vec<String> = usage_only.iter().take(3).map(|a| code(a)).collect();
        let rest = usage_only.len().saturating_sub(shown.len());
        let tail = if rest > 0 {
            format!(" and {rest} more")
        } else {
            String::new()
        };
        let _ = writeln!(
            md,
            "- billed by usage, prices not in the table yet: {}{tail}",
            shown.join(", ")
        );
    }
}

fn default_regions(md: &mut String, costs: &[ResourceCost]) {
    let defaulted: Vec<(&str, &str, &str)> = costs
        .iter()
        .filter_map(|c| match &c.region {
            Some(r) => match &r.origin {
                Origin::Default(why) => Some((c.rc.address(), r.name.as_str(), why.as_str())),
                _ => None,
            },
            None => None,
        })
        .collect();
    if defaulted.is_empty() {
        return;
    }
    md.push_str("\n**Priced in a default region** (give the resource or its provider a region, or set `default_regions`):\n\n");
    for (address, region, why) in defaulted.iter().take(LIST_LIMIT) {
        let _ = writeln!(md, "- {}: `{region}` ({why})", code(address));
    }
    more(md, defaulted.len());
}

fn more(md: &mut String, total: usize) {
    if total > LIST_LIMIT {
        let _ = writeln!(md, "- … and {} more", total - LIST_LIMIT);
    }
}

/// An address as inline code; backticks inside it would end the span early.
fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'"))
}
