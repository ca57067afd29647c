//! Token stores: where account records live between runs. One trait, one module per backend;
//! the record-level operations (purge, set, delete) are written once on top of the trait.

pub mod codec;
pub mod diff;
pub mod file;
pub mod keychain;
pub mod memory;
mod records;
pub mod secure;

pub use file::FileStore;
pub use memory::MemoryStore;
pub use records::{
    clear, delete, find, list, refresh_guard, set, Listing, RefreshGuard, StoreLocation, TokenStore,
};
pub use secure::SecureStore;
