//! Generated graphs for the scale tests, the run-time benchmarks and the
//! build-time script.

pub mod generator;
