//! The one integration-test binary: every test module lives under `tests/cases/`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod cases;
