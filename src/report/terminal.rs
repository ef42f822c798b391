//! The human renderer: findings grouped by resource (with where it is
//! declared), then summaries, then the verdict.

use std::fmt::Write as _;

use super::{Report, ReportFinding, Status, Verdict};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let p = &report.plan;
    let _ = writeln!(
        out,
        "tfwarden {} · {} · terraform {} · {} resource changes",
        report.tool.version,
        p.path,
        if p.terraform_version.is_empty() {
            "?"
        } else {
            &p.terraform_version
        },
        p.resource_changes
    );
    if p.deferred_changes > 0 {
        let _ = writeln!(
            out,
            "note: {} deferred changes were not checked",
            p.deferred_changes
        );
    }

    let mut current: Option<&str> = None;
    for f in &report.findings {
        if current != Some(f.address.as_str()) {
            current = Some(&f.address);
            let heading = if f.address.is_empty() {
                "(plan)"
            } else {
                &f.address
            };
            match &f.location {
                Some(l) => {
                    let _ = writeln!(out, "\n{heading}  {}:{}", l.file, l.start_line);
                }
                None => {
                    let _ = writeln!(out, "\n{heading}");
                }
            }
        }
        let _ = writeln!(out, "{}", line(f));
    }

    for s in &report.summaries {
        if !s.markdown.trim().is_empty() {
            let _ = writeln!(out, "\n── {} ──\n{}", s.plugin, s.markdown.trim_end());
        }
    }
    for o in &report.overrides {
        let _ = writeln!(
            out,
            "\noverride: {} released {} via {}",
            o.by,
            o.rules.join(", "),
            o.via
        );
    }
    for w in &report.waivers {
        let expiry = w
            .expires
            .as_deref()
            .map(|e| format!(", expires {e}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "waiver {:?}: {} on {} ({} matched{expiry}; {}): {}",
            w.state, w.rule, w.address, w.matched, w.source, w.reason
        );
    }
    for e in &report.errors {
        let _ = writeln!(out, "\nerror: {}", e.message);
    }

    let c = &report.counts;
    let verdict = match report.verdict {
        Verdict::Pass => "PASS",
        Verdict::Fail => "FAIL",
        Verdict::Error => "ERROR",
    };
    let _ = writeln!(
        out,
        "\n{verdict}: {} blocking, {} advisory, {} indeterminate, {} pre-existing, {} waived (blocking from severity {}; {} plugins)",
        c.blocking,
        c.advisory,
        c.indeterminate,
        c.pre_existing,
        c.waived,
        report.fail_on,
        report.plugins.len()
    );
    out
}

fn line(f: &ReportFinding) -> String {
    let mark = match f.status {
        Status::Blocking => "✗",
        Status::Advisory => "!",
        Status::Indeterminate => "?",
        Status::PreExisting => "~",
        Status::Waived => "-",
    };
    let place = if f.path.is_empty() {
        String::new()
    } else {
        format!("{}: ", f.path)
    };
    let mut line = format!(
        "  {mark} {} {:<8} {place}{}",
        f.rule_id,
        f.severity.as_str(),
        f.message
    );
    if !matches!(f.status, Status::Blocking | Status::Advisory) {
        let _ = write!(line, " ({})", status_word(f.status));
    }
    if let Some(l) = f.location.as_ref().filter(|l| l.line != l.start_line) {
        let _ = write!(line, "\n      at {l}");
    }
    if let Some(fix) = &f.fix {
        let _ = write!(line, "\n      fix: set {} = {}", fix.path, fix.value);
    }
    line
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Blocking => "blocking",
        Status::Advisory => "advisory",
        Status::Indeterminate => "indeterminate: known after apply",
        Status::PreExisting => "pre-existing",
        Status::Waived => "waived",
    }
}
