//! SEC060–SEC061: CloudTrail trails that stop logging, or whose log files
//! cannot be checked for tampering.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const LOGGING_OFF: Rule = Rule::new(
    "SEC060",
    Severity::High,
    "logging",
    "CloudTrail logging is turned off",
)
.help(include_str!("../../../../docs/rules/SEC060.md"));
pub const NO_VALIDATION: Rule = Rule::new(
    "SEC061",
    Severity::Low,
    "logging",
    "CloudTrail log file validation is off",
)
.help(include_str!("../../../../docs/rules/SEC061.md"));

pub const CHECK: Check = Check {
    rules: &[LOGGING_OFF, NO_VALIDATION],
    types: &["aws_cloudtrail"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("aws_cloudtrail") {
        let after = rc.after();
        match after.get("enable_logging").bool() {
            Known(false) => {
                out.report(
                    LOGGING_OFF.id,
                    &rc,
                    "enable_logging",
                    "the trail exists but records nothing: API activity goes unaudited",
                )
                .fix("enable_logging", true);
            }
            Unknown => {
                out.indeterminate(LOGGING_OFF.id, &rc, "enable_logging");
            }
            _ => {}
        }
        match after.get("enable_log_file_validation").bool() {
            Known(true) => {}
            Known(false) | Absent => {
                out.report(
                    NO_VALIDATION.id,
                    &rc,
                    "enable_log_file_validation",
                    "without digest files, deleted or edited log files cannot be detected",
                )
                .fix("enable_log_file_validation", true);
            }
            Unknown => {
                out.indeterminate(NO_VALIDATION.id, &rc, "enable_log_file_validation");
            }
        }
    }
}
