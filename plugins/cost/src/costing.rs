//! Prices every subscribed change on both sides of the plan: what it costs a
//! month now (before) and after apply.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Estimate, NotPriced};
use crate::fields::Fields;
use crate::plan_index::{PlanIndex, Side};
use crate::region::{Cloud, Region, RegionResolver};
use crate::resources::context::Ctx;
use crate::resources::{self, Kind, PriceFn, UNSUPPORTED_FIXED, UNSUPPORTED_USAGE_ONLY};
use crate::settings::Validated;

/// How the plugin treats a resource type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    Priced,
    /// A fixed-cost type the plugin does not price yet.
    Unsupported,
    /// A usage-only type the plugin does not price yet.
    UsageOnly,
}

/// The monthly cost of one resource before and after the change.
pub struct ResourceCost<'a> {
    pub rc: ResourceChange<'a>,
    pub coverage: Coverage,
    pub before: Estimate,
    pub after: Estimate,
    /// The region the resource was priced in, for the side that exists after
    /// apply (or before, for a deletion).
    pub region: Option<Region>,
}

impl ResourceCost<'_> {
    /// The change in known monthly cost.
    pub fn delta(&self) -> f64 {
        self.after.known_monthly() - self.before.known_monthly()
    }

    /// True when either side is missing a price, so the delta may be off.
    pub fn is_open(&self) -> bool {
        !self.before.is_complete() || !self.after.is_complete()
    }
}

/// Prices every change in the plan that the plugin covers.
pub fn cost_plan<'a>(
    plan: &Plan<'a>,
    index: &PlanIndex<'a>,
    settings: &Validated,
) -> Vec<ResourceCost<'a>> {
    let resolver = RegionResolver {
        index,
        defaults: &settings.default_regions,
    };
    plan.changes()
        .filter(|rc| rc.is_managed() && rc.kind() != ChangeKind::Read)
        .filter_map(|rc| cost_change(rc, index, &resolver, settings))
        .collect()
}

fn cost_change<'a>(
    rc: ResourceChange<'a>,
    index: &PlanIndex<'a>,
    resolver: &RegionResolver,
    settings: &Validated,
) -> Option<ResourceCost<'a>> {
    let (coverage, price) = match resources::pricer(rc.type_()).map(|p| p.kind) {
        Some(Kind::Priced(f)) => (Coverage::Priced, Some(f)),
        Some(Kind::Helper) => return None,
        None if UNSUPPORTED_FIXED.contains(&rc.type_()) => (Coverage::Unsupported, None),
        None if UNSUPPORTED_USAGE_ONLY.contains(&rc.type_()) => (Coverage::UsageOnly, None),
        None => return None,
    };
    let kind = rc.kind();
    let exists_before = kind != ChangeKind::Create && !rc.before().is_absent();
    let exists_after = !matches!(kind, ChangeKind::Delete) && !rc.after().is_absent();
    let side = |side: Side, exists: bool| -> (Estimate, Option<Region>) {
        if !exists {
            return (Estimate::Absent, None);
        }
        match (coverage, price) {
            (Coverage::Priced, Some(f)) => price_side(f, &rc, side, index, resolver, settings),
            (Coverage::Unsupported, _) => (Estimate::Unpriced(NotPriced::UnsupportedType), None),
            _ => (Estimate::Priced(Vec::new()), None),
        }
    };
    let (after, after_region) = side(Side::After, exists_after);
    // A resource that is not changing (or only leaves state) costs the same
    // before as after; pricing it once halves the work on large plans.
    let (before, before_region) = match kind {
        ChangeKind::NoOp | ChangeKind::Forget if exists_after => (after.clone(), None),
        _ => side(Side::Before, exists_before),
    };
    Some(ResourceCost {
        rc,
        coverage,
        before,
        after,
        region: after_region.or(before_region),
    })
}

fn price_side(
    price: PriceFn,
    rc: &ResourceChange,
    side: Side,
    index: &PlanIndex,
    resolver: &RegionResolver,
    settings: &Validated,
) -> (Estimate, Option<Region>) {
    let fields = Fields::of(side.of(rc));
    let Some(cloud) = Cloud::of_provider(rc.provider()).or_else(|| Cloud::of_type(rc.type_()))
    else {
        return (Estimate::Unpriced(NotPriced::UnsupportedType), None);
    };
    let region = match resolver.resolve(cloud, rc.provider(), rc.address(), &fields, side) {
        Ok(region) => region,
        Err(reason) => return (Estimate::Unpriced(reason), None),
    };
    let ctx = Ctx {
        address: rc.address(),
        cloud,
        region: &region.name,
        usage: settings.usage.for_resource(rc.type_(), rc.address()),
        index,
        side,
    };
    let estimate = match price(&ctx, &fields) {
        Ok(components) => Estimate::of(components),
        Err(reason) => Estimate::Unpriced(reason),
    };
    (estimate, Some(region))
}
