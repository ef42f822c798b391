//! Pricers for Azure resources.

pub mod aks;
pub mod database;
pub mod disk;
pub mod network;
pub mod vm;
