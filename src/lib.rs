//! axway-auth: the Axway CLI auth layer. The core (everything but `node`) has no Node types;
//! `node` is the napi boundary that hands it to JavaScript.

pub mod account;
pub mod auth;
pub mod body;
pub mod config;
pub mod error;
pub mod files;
pub mod hash;
pub mod headless;
pub mod http;
pub mod logging;
pub mod net;
pub mod notices;
pub mod oauth;
pub mod platform;
pub mod sanitize;
pub mod session;
pub mod settings;
pub mod store;
pub mod wait;

#[cfg(not(test))]
mod node;

pub use error::{Error, Result};

#[cfg(test)]
mod flow_unit_tests;
#[cfg(test)]
mod http_unit_tests;
#[cfg(test)]
mod redaction_tests;
#[cfg(test)]
mod testing;
