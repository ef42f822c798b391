//! LIM008: the size of one Lambda function's environment variables.
//!
//! Lambda measures the variables as the JSON text `{"KEY":"value",...}` and
//! refuses more than 4 KB; sensitive or unknown values leave the size open.

use tfwarden_sdk::prelude::*;

use super::Context;
use crate::fields::planned;
use crate::measure::json_string_map_size;
use crate::tally::Tally;

pub const RULE: &str = "LIM008";
const PATH: &str = "environment.0.variables";

pub fn check(ctx: &mut Context) {
    let limit = ctx.settings.limits.max_lambda_environment_bytes;
    for (i, rc) in ctx.links.changes.iter().enumerate() {
        if rc.type_() != "aws_lambda_function" || !rc.creates_or_updates() {
            continue;
        }
        let [environment] = planned(rc, ["environment"]);
        if environment.value.is_unknown() && !ctx.links.configures(i, "environment") {
            continue;
        }
        let variables = match environment.items() {
            Known(blocks) => match blocks.first() {
                Some(block) => block.members(["variables"])[0],
                None => continue,
            },
            Unknown => {
                ctx.judge(RULE, i, PATH, Tally::unbounded(), limit, describe);
                continue;
            }
            Absent => continue,
        };
        let size = match variables.value.entries() {
            Known(entries) => json_string_map_size(&entries),
            Unknown => Tally::unbounded(),
            Absent => continue,
        };
        ctx.judge(RULE, i, PATH, size, limit, describe);
    }
}

fn describe(n: &str, limit: u64) -> String {
    format!(
        "the environment variables of this function are {n} bytes as Lambda measures them (limit {limit})"
    )
}
