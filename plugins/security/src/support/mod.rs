//! Helpers the rules share, each with one job: reading policy documents,
//! reasoning about addresses and ports, and following references.

pub mod attachments;
pub mod gcp_iam;
pub mod iam;
pub mod net;
pub mod refs;
pub mod s3_shield;
pub mod values;
