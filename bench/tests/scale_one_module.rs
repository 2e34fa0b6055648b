//! 1,000 providers in one module build with the default recursion limit and
//! bootstrap in dependency order; and bootstrap + shutdown of 1,000
//! providers ask the allocator for small blocks only.
// A counting global allocator needs `unsafe impl GlobalAlloc`; it only
// forwards to the system allocator.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

include!(concat!(env!("OUT_DIR"), "/one_module_1000.rs"));

/// 1,000 providers in modules of 16, each with a constructor and an async
/// `pre_destruct`: startup times every one.
pub mod timed {
    include!(concat!(env!("OUT_DIR"), "/timed_1000.rs"));
}

#[tokio::test]
async fn thousand_providers_in_one_module() {
    let app = graph::AppModule::bootstrap().await.unwrap();
    let _ = app.get::<graph::P999>();
    app.shutdown().await.unwrap();
}

/// The largest request glibc serves from its small bins; anything larger
/// first consolidates every small block freed before it, and the
/// providers' values allocated after it take the allocator's slow path
/// (`lifecycle-runtime/src/wiring/table.rs`).
const LARGEST_SMALL_REQUEST: usize = 1008;

thread_local! {
    /// Watched on one thread only: the other tests run beside this one.
    static WATCHING: Cell<bool> = const { Cell::new(false) };
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

struct Watch;

// SAFETY: every call is forwarded to `System` unchanged.
unsafe impl GlobalAlloc for Watch {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: the caller's contract, passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        // SAFETY: the caller's contract, passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

fn note(size: usize) {
    if WATCHING.get() {
        LARGEST.set(LARGEST.get().max(size));
    }
}

#[global_allocator]
static ALLOCATOR: Watch = Watch;

/// One bootstrap and shutdown of each graph; `report` also checks (and
/// allocates) the timed graph's startup report.
async fn once(report: bool) {
    let app = graph::AppModule::bootstrap().await.unwrap();
    app.shutdown().await.unwrap();
    drop(app);
    let app = timed::graph::AppModule::bootstrap().await.unwrap();
    if report {
        let timed = app.startup_report().providers().len();
        assert_eq!(timed, 1000, "every provider of the graph is in the report");
    }
    app.shutdown().await.unwrap();
    drop(app);
}

#[test]
fn bootstrap_and_shutdown_of_a_thousand_providers_ask_for_small_blocks_only() {
    // Everything of the app runs on this thread.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // The first run fills what a process keeps once (the plan's unpacked
    // table, the signal handlers' registry).
    rt.block_on(once(true));
    WATCHING.set(true);
    rt.block_on(once(false));
    WATCHING.set(false);
    let largest = LARGEST.get();
    assert!(
        largest <= LARGEST_SMALL_REQUEST,
        "bootstrap + shutdown of 1,000 providers asked for a block of {largest} bytes"
    );
}
