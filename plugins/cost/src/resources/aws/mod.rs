//! Pricers for AWS resources.

pub mod asg;
pub mod dynamodb;
pub mod ebs;
pub mod ec2;
pub mod efs;
pub mod eks;
pub mod elasticache;
pub mod instance;
pub mod lambda;
pub mod logs;
pub mod msk;
pub mod network;
pub mod opensearch;
pub mod rds;
pub mod s3;
