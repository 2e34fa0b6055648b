//! UI test cases live in `tests/ui/`; the fixture crate is in `fixture/`.
