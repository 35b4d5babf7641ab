//! The one integration-test binary: every test module lives under `tests/cases/`.

mod cases;
