use std::sync::Mutex;

static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

pub fn push(line: &str) {
    LINES.lock().unwrap().push(line.to_owned());
}

pub fn take() -> Vec<String> {
    std::mem::take(&mut *LINES.lock().unwrap())
}
