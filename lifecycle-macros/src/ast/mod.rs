//! Models of what the user wrote, with the spans errors point at.

pub(crate) mod plain;
pub(crate) mod provider;
pub(crate) mod types;
