//! Hero HQ: `cargo run -p lifecycle-examples --bin hero-hq [-- --port 8080]`.

use std::process::ExitCode;

use lifecycle_examples::hero_hq::{self, HqSettings};

#[tokio::main]
async fn main() -> ExitCode {
    lifecycle_examples::init_logging();
    let settings = match HqSettings::parse(std::env::args().skip(1), |k| std::env::var(k).ok()) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("hero-hq: {e}");
            eprintln!(
                "usage: hero-hq [--host 127.0.0.1] [--port 8080] [--db PATH] [--grid-warmup-ms 300]"
            );
            return ExitCode::from(2);
        }
    };
    let bind = (settings.host.as_str(), settings.port);
    let listener = match tokio::net::TcpListener::bind(bind).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("hero-hq: cannot listen on {}:{}: {e}", bind.0, bind.1);
            return ExitCode::FAILURE;
        }
    };
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    println!("Hero HQ listening on http://{addr}  (try: curl http://{addr}/status/)");
    HqSettings::choose(settings);
    match hero_hq::serve(listener).await {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(e) => {
            eprintln!("hero-hq: {e}");
            ExitCode::FAILURE
        }
    }
}
