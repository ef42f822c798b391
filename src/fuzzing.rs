//! Entry points for the fuzz targets in `fuzz/` and the bounded fuzz test in
//! the regular suite: arbitrary bytes through the plan loader and through the
//! `.tf` source mapper. Neither may panic, whatever the input.

use tfwarden_sdk::input::{CheckInput, Subscription};
use tfwarden_sdk::view::Plan;

use crate::plan::{PlanSource, sensitive_values};
use crate::policy::resource_type;
use crate::source::SourceMap;

/// Decodes, parses and classifies `data` as a plan; for a plan, builds every
/// plugin input and reads every value the way plugins do; for an error,
/// renders its diagnostic.
pub fn plan_bytes(data: &[u8]) {
    let source = match PlanSource::from_bytes("fuzz.json".into(), data.to_vec()) {
        Ok(source) => source,
        Err(e) => return render(e),
    };
    let plan = match source.parse() {
        Ok(plan) => plan,
        Err(e) => return render(e),
    };
    let all = ["*".to_owned()];
    let input = CheckInput::for_plugin(
        &plan,
        "fuzz",
        Subscription {
            resource_types: &all,
            needs_configuration: true,
        },
    );
    let _ = sensitive_values(&plan);
    for rc in Plan::new(&input).changes() {
        let _ = resource_type(rc.address());
        let after = rc.after();
        let _ = after.tag("owner");
        let _ = after.path("ingress.0.cidr_blocks.0").str();
        for (_, v) in after.entries().known().unwrap_or_default() {
            let _ = (v.items(), v.i64(), v.bool(), v.has_unknown_parts());
        }
        let _ = rc.before().object().get("tags").entries();
    }
    let _ = input.into_before_world();
}

/// Parses `data` as a `.tf` file in a scratch directory and places a few
/// addresses in it; parse errors must become warnings that render.
pub fn tf_source(data: &[u8]) {
    let Ok(dir) = tempfile_dir() else { return };
    if std::fs::write(dir.join("main.tf"), data).is_err() {
        return;
    }
    let (map, warnings) = SourceMap::load(&dir, None);
    for w in warnings {
        render(w);
    }
    for address in [
        "aws_s3_bucket.b",
        "data.aws_ami.x",
        "module.m.aws_instance.i[0]",
        "x.y[\"k\"]",
    ] {
        for path in ["", "tags.owner", "ingress.0.cidr_blocks"] {
            let _ = map.locate(address, path);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "tfwarden-fuzz-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn render(e: impl miette::Diagnostic + Send + Sync + 'static) {
    let _ = format!("{:?}", miette::Report::new(e));
}
