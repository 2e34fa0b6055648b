//! Compile-time diagnostics, compared with reviewed `.stderr` snapshots.
//! Regenerate with `TRYBUILD=overwrite cargo test -p ui-tests`, then read
//! every changed snapshot as a user would before committing it.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/**/*.rs");
}
