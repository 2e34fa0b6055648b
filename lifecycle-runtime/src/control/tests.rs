use super::*;

#[test]
fn a_request_drains_a_running_app_and_the_first_code_wins() {
    let control = Control::new();
    assert!(control.go_running());
    assert!(control.request(3));
    assert!(!control.request(4));
    assert_eq!(control.state(), State::Draining);
    assert_eq!(control.exit_code(), Some(3));
}

#[test]
fn a_request_during_startup_keeps_it_from_becoming_ready() {
    let control = Control::new();
    control.request(0);
    assert_eq!(control.state(), State::Starting);
    assert!(!control.go_running());
    assert_eq!(control.state(), State::Starting);
}

#[tokio::test]
async fn in_flight_guards_and_tracked_tasks_hold_the_drain() {
    let control = Control::new();
    let handle = ShutdownHandle {
        control: control.clone(),
    };
    let guard = handle.in_flight();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = handle.spawn(async move { rx.await.is_ok() });
    assert_eq!(control.in_flight_count(), 2);
    drop(guard);
    assert_eq!(control.in_flight_count(), 1);
    tx.send(()).unwrap();
    assert!(task.await.unwrap());
    control.idle().await;
    assert_eq!(control.in_flight_count(), 0);
}

#[tokio::test]
async fn draining_resolves_once_shutdown_begins() {
    let control = Control::new();
    control.go_running();
    let draining = tokio::spawn(control.draining());
    tokio::task::yield_now().await;
    assert!(!draining.is_finished());
    control.request(0);
    draining.await.unwrap();
}

/// `future`'s output, or a failure if it does not resolve (paused clock:
/// this fails at once instead of hanging).
async fn soon<F: Future>(future: F) -> F::Output {
    tokio::time::timeout(std::time::Duration::from_secs(1), future)
        .await
        .expect("resolves")
}

#[tokio::test(start_paused = true)]
async fn a_watch_made_late_starts_at_the_current_state_and_sees_every_change() {
    let control = Control::new();
    control.go_running();
    let mut state = control.subscribe();
    assert_eq!(*state.borrow_and_update(), State::Running);
    control.request(0);
    soon(state.changed()).await.unwrap();
    assert_eq!(*state.borrow_and_update(), State::Draining);
    let mut second = control.subscribe();
    control.set_state(State::Stopping);
    soon(second.changed()).await.unwrap();
    soon(state.changed()).await.unwrap();
    assert_eq!(*second.borrow(), State::Stopping);
    assert_eq!(*state.borrow(), State::Stopping);
}

/// A change made on another thread while a waiter registers must still
/// wake it: `notify` skips waking when it sees no waiter, so the two sides
/// race on the count; a lost wake-up would hang here until the timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiter_never_misses_a_change_made_while_it_registers() {
    for round in 0..2_000 {
        let control = Control::new();
        let requested = tokio::spawn(control.requested());
        let draining = tokio::spawn(control.draining());
        let other = control.clone();
        let change = std::thread::spawn(move || {
            other.go_running();
            other.request(0);
        });
        let woken = async {
            requested.await.unwrap();
            draining.await.unwrap();
        };
        tokio::time::timeout(std::time::Duration::from_secs(10), woken)
            .await
            .unwrap_or_else(|_| panic!("a waiter missed the change in round {round}"));
        change.join().unwrap();
    }
}
