//! A model loaded once at startup, used by a message handler, released at
//! shutdown.
//!
//! Propan loads its model in an `on_startup` hook (not at import time, so
//! tests that import the module don't pay for it) and clears it in
//! `on_shutdown`. Here the model is a provider: its constructor is marked
//! `blocking`, so the slow load runs on a thread of its own under a
//! timeout instead of stalling the async executor, and its
//! `#[pre_destruct]` releases it after the message consumer stopped. The
//! model is small and ships with the example: a least-squares line fitted
//! to the samples in `examples/env/model.csv` at load time.

use std::sync::RwLock;

use lifecycle_runtime::{App, module, provider};
use tokio::sync::{mpsc, oneshot};

const SAMPLES: &str = include_str!("../env/model.csv");

/// Why a prediction failed.
#[derive(Debug, PartialEq, Eq)]
pub enum ModelError {
    /// The samples could not be read.
    BadSample(usize),
    /// The model was released by shutdown.
    Released,
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelError::BadSample(line) => write!(f, "model.csv line {line} is not `x, y`"),
            ModelError::Released => f.write_str("the model was released"),
        }
    }
}

impl std::error::Error for ModelError {}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    pub slope: f64,
    pub intercept: f64,
}

/// The answer-to-everything model.
#[derive(Debug)]
pub struct Model {
    weights: RwLock<Option<Weights>>,
    /// The thread the constructor ran on.
    pub loaded_on: String,
}

#[provider]
impl Model {
    /// Fit the model: the expensive part, done once per process.
    #[constructor(blocking, timeout = "30s")]
    pub fn load() -> Result<Self, ModelError> {
        let mut points = Vec::new();
        for (n, line) in SAMPLES.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let parsed = line
                .split_once(',')
                .and_then(|(x, y)| Some((x.trim().parse().ok()?, y.trim().parse().ok()?)));
            points.push(parsed.ok_or(ModelError::BadSample(n + 1))?);
        }
        let weights = fit(&points);
        let loaded_on = std::thread::current().name().unwrap_or("?").to_owned();
        println!(
            "model: fitted y = {:.1} x + {:.1} on {} samples (thread {loaded_on})",
            weights.slope,
            weights.intercept,
            points.len()
        );
        Ok(Model {
            weights: RwLock::new(Some(weights)),
            loaded_on,
        })
    }

    /// Release the weights; runs after the consumer stopped.
    #[pre_destruct]
    fn release(&self) {
        self.weights
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        println!("model: released");
    }
}

impl Model {
    pub fn predict(&self, x: f64) -> Result<f64, ModelError> {
        let weights = self.weights.read().unwrap_or_else(|e| e.into_inner());
        let w = weights.as_ref().ok_or(ModelError::Released)?;
        Ok(w.slope * x + w.intercept)
    }
}

/// Ordinary least squares on `(x, y)` points.
pub fn fit(points: &[(f64, f64)]) -> Weights {
    let n = points.len() as f64;
    let (sx, sy) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (sx / n, sy / n);
    let (cov, var) = points.iter().fold((0.0, 0.0), |(c, v), (x, y)| {
        (c + (x - mx) * (y - my), v + (x - mx) * (x - mx))
    });
    let slope = if var == 0.0 { 0.0 } else { cov / var };
    Weights {
        slope,
        intercept: my - slope * mx,
    }
}

#[module(providers = [Model])]
#[derive(Debug)]
pub struct ModelModule;

/// One message on the in-process broker: an input and where to reply.
pub type Message = (f64, oneshot::Sender<Result<f64, ModelError>>);

/// The message handler, Propan's `@broker.handle("test") async def predict`.
pub async fn predict(model: &Model, x: f64) -> Result<f64, ModelError> {
    model.predict(x)
}

/// Start the consumer as tracked work of the app: it stops taking messages
/// once shutdown begins, and shutdown waits for it before the model is
/// released.
pub fn start_consumer(app: &App<ModelModule>) -> mpsc::Sender<Message> {
    let (tx, mut rx) = mpsc::channel::<Message>(16);
    let model = app.get::<Model>();
    let draining = app.draining();
    app.spawn(async move {
        tokio::pin!(draining);
        loop {
            tokio::select! {
                _ = &mut draining => break,
                message = rx.recv() => {
                    let Some((x, reply)) = message else { break };
                    let _ = reply.send(predict(&model, x).await);
                }
            }
        }
        println!("consumer: stopped");
    });
    tx
}

/// Publish `x` and wait for the answer.
pub async fn ask(broker: &mpsc::Sender<Message>, x: f64) -> Option<Result<f64, ModelError>> {
    let (reply, answer) = oneshot::channel();
    broker.send((x, reply)).await.ok()?;
    answer.await.ok()
}
