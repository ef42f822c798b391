//! Pricers for Google Cloud resources.

pub mod compute;
pub mod gke;
pub mod network;
pub mod sql;
pub mod storage;
