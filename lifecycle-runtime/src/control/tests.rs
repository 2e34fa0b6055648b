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
