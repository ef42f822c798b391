//! Which S3 buckets a public access block shields in this plan, so the ACL and
//! bucket-policy rules stay quiet where a block already neutralises a grant.
//!
//! Only shields the plan shows count: a block that lives in another state
//! cannot be seen, so a public grant there is still reported.

use tfwarden_sdk::prelude::*;

use crate::context::{Ctx, Resource};
use crate::support::attachments::{Attached, Attachments};

/// The public access block setting that neutralises a kind of grant.
#[derive(Debug, Clone, Copy)]
pub enum Shield {
    /// `ignore_public_acls`: S3 ignores public ACLs.
    IgnorePublicAcls,
    /// `restrict_public_buckets`: only the owner account and AWS services may use a public policy.
    RestrictPublicBuckets,
}

impl Shield {
    fn attribute(self) -> &'static str {
        match self {
            Shield::IgnorePublicAcls => "ignore_public_acls",
            Shield::RestrictPublicBuckets => "restrict_public_buckets",
        }
    }
}

/// The buckets one shield covers.
pub struct Shielding {
    account_wide: bool,
    buckets: Attachments,
}

impl Shielding {
    pub fn collect(ctx: &Ctx, shield: Shield) -> Self {
        let on = |rc: &Resource| rc.after().get(shield.attribute()).bool() == Known(true);
        let account_wide = ctx
            .remaining("aws_s3_account_public_access_block")
            .any(|rc| on(&rc));
        let blocks = ctx
            .remaining("aws_s3_bucket_public_access_block")
            .filter(|rc| on(rc));
        let buckets = Attachments::collect(ctx.refs(), blocks, "bucket", "aws_s3_bucket");
        Shielding {
            account_wide,
            buckets,
        }
    }

    /// True when `bucket` (an `aws_s3_bucket` change) is shielded.
    pub fn covers_bucket(&self, bucket: &Resource) -> bool {
        self.account_wide
            || self.buckets.of(bucket, &bucket.after().get("bucket").str()) == Attached::Yes
    }

    /// True when the bucket that `linker` (an ACL or policy resource) names is shielded.
    pub fn covers_bucket_of(&self, ctx: &Ctx, linker: &Resource) -> bool {
        if self.account_wide {
            return true;
        }
        let targets = ctx.refs().targets(linker, "bucket", "aws_s3_bucket");
        self.buckets
            .of_target(&targets, &linker.after().get("bucket").str())
    }
}
