//! The workflow engine: a command builds a [`Plan`] of [`Step`]s, and [`run`] executes it with one
//! reporter, timing each step, stopping at the first failure, and racing everything against
//! Ctrl-C. It knows nothing of Docker or databases, so its logic is tested with small fakes.

mod plan;
mod poll;
mod report;
mod reporter;
mod runner;
mod step;

pub use plan::Plan;
pub use poll::{Backoff, PollError, Probe, poll_until};
pub use report::{Report, StepReport};
pub use reporter::Reporter;
pub use runner::{RunOptions, run};
pub use step::{Outcome, Status, Step, StepContext};
