//! Runs a plan: one step at a time, each timed, stopping at the first failure; Ctrl-C ends the
//! current step by dropping its future, so steps must leave things recoverable when dropped.

use std::future::Future;
use std::time::Instant;

use super::{Outcome, Plan, Report, Reporter, Status, StepContext, StepReport};
use crate::Error;

#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    pub dry_run: bool,
}

/// Runs `plan`; `interrupt` resolves when the user presses Ctrl-C. Returns the report, and the
/// error of the step that failed, if any. The caller ends the run with `Reporter::finished`, after
/// adding what it wants the summary to say.
pub async fn run<I>(
    plan: &Plan,
    reporter: &dyn Reporter,
    options: RunOptions,
    interrupt: I,
) -> (Report, Option<Error>)
where
    I: Future<Output = ()>,
{
    let started = Instant::now();
    let described: Vec<(String, String)> = plan
        .steps
        .iter()
        .map(|s| (s.name(), s.describe()))
        .collect();
    reporter.plan(&described, options.dry_run);

    let mut report = Report {
        ok: true,
        steps: Vec::with_capacity(plan.len()),
        ..Report::default()
    };
    let mut failure = None;
    tokio::pin!(interrupt);

    for (index, step) in plan.steps.iter().enumerate() {
        let name = described[index].0.clone();
        if failure.is_some() {
            report.steps.push(StepReport {
                name,
                status: Status::NotRun,
                duration_ms: 0,
                detail: String::new(),
            });
            continue;
        }
        if options.dry_run {
            report.steps.push(StepReport {
                name,
                status: Status::Planned,
                duration_ms: 0,
                detail: described[index].1.clone(),
            });
            continue;
        }
        reporter.step_started(index, &name);
        let step_started = Instant::now();
        let cx = StepContext { reporter, index };
        let result = tokio::select! {
            result = step.run(&cx) => result,
            () = &mut interrupt => Err(Error::Interrupted),
        };
        let duration_ms = elapsed_ms(step_started);
        let (entry, error) = match result {
            Ok(Outcome { status, detail }) => (
                StepReport {
                    name,
                    status,
                    duration_ms,
                    detail,
                },
                None,
            ),
            Err(error) => (
                StepReport {
                    name,
                    status: Status::Failed,
                    duration_ms,
                    detail: error.to_string(),
                },
                Some(error),
            ),
        };
        reporter.step_finished(index, &entry, error.as_ref());
        report.steps.push(entry);
        if let Some(error) = error {
            report.ok = false;
            failure = Some(error);
        }
    }
    report.duration_ms = elapsed_ms(started);
    (report, failure)
}

fn elapsed_ms(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures_util::future::BoxFuture;

    use super::*;
    use crate::engine::Step;

    struct Fake {
        name: &'static str,
        result: fn() -> Result<Outcome, Error>,
        runs: &'static AtomicUsize,
        hang: bool,
    }

    impl Step for Fake {
        fn name(&self) -> String {
            self.name.into()
        }
        fn describe(&self) -> String {
            format!("do {}", self.name)
        }
        fn run<'a>(&'a self, cx: &'a StepContext<'a>) -> BoxFuture<'a, Result<Outcome, Error>> {
            Box::pin(async move {
                self.runs.fetch_add(1, Ordering::SeqCst);
                cx.output("working");
                if self.hang {
                    std::future::pending::<()>().await;
                }
                (self.result)()
            })
        }
    }

    #[derive(Default)]
    struct Recorder(Mutex<Vec<String>>);

    impl Reporter for Recorder {
        fn plan(&self, steps: &[(String, String)], dry_run: bool) {
            self.0
                .lock()
                .unwrap()
                .push(format!("plan {} dry={dry_run}", steps.len()));
        }
        fn step_started(&self, _: usize, name: &str) {
            self.0.lock().unwrap().push(format!("start {name}"));
        }
        fn step_progress(&self, _: usize, _: &str) {}
        fn step_output(&self, index: usize, line: &str) {
            self.0.lock().unwrap().push(format!("out {index} {line}"));
        }
        fn step_finished(&self, _: usize, step: &StepReport, error: Option<&Error>) {
            self.0.lock().unwrap().push(format!(
                "end {} {:?} {}",
                step.name,
                step.status,
                error.is_some()
            ));
        }
        fn finished(&self, report: &Report, _: Option<&Error>) {
            self.0
                .lock()
                .unwrap()
                .push(format!("finished ok={}", report.ok));
        }
    }

    fn failing() -> Result<Outcome, Error> {
        Err(Error::Step {
            message: "boom".into(),
            hint: None,
            details: vec![],
        })
    }

    #[tokio::test]
    async fn stops_at_the_first_failure_and_reports_the_rest_as_not_run() {
        static A: AtomicUsize = AtomicUsize::new(0);
        static B: AtomicUsize = AtomicUsize::new(0);
        static C: AtomicUsize = AtomicUsize::new(0);
        let mut plan = Plan::new();
        plan.push(Fake {
            name: "a",
            result: || Ok(Outcome::done("x")),
            runs: &A,
            hang: false,
        })
        .push(Fake {
            name: "b",
            result: failing,
            runs: &B,
            hang: false,
        })
        .push(Fake {
            name: "c",
            result: || Ok(Outcome::done("y")),
            runs: &C,
            hang: false,
        });
        let recorder = Recorder::default();
        let (report, error) = run(
            &plan,
            &recorder,
            RunOptions::default(),
            std::future::pending(),
        )
        .await;
        assert!(!report.ok);
        assert_eq!(error.unwrap().to_string(), "boom");
        let statuses: Vec<_> = report.steps.iter().map(|s| s.status).collect();
        assert_eq!(statuses, [Status::Done, Status::Failed, Status::NotRun]);
        assert_eq!(C.load(Ordering::SeqCst), 0);
        assert_eq!(
            *recorder.0.lock().unwrap(),
            [
                "plan 3 dry=false",
                "start a",
                "out 0 working",
                "end a Done false",
                "start b",
                "out 1 working",
                "end b Failed true",
            ]
        );
    }

    #[tokio::test]
    async fn dry_run_runs_nothing() {
        static A: AtomicUsize = AtomicUsize::new(0);
        let mut plan = Plan::new();
        plan.push(Fake {
            name: "a",
            result: || Ok(Outcome::done("x")),
            runs: &A,
            hang: false,
        });
        let recorder = Recorder::default();
        let (report, error) = run(
            &plan,
            &recorder,
            RunOptions { dry_run: true },
            std::future::pending(),
        )
        .await;
        assert!(report.ok && error.is_none());
        assert_eq!(report.steps[0].status, Status::Planned);
        assert_eq!(report.steps[0].detail, "do a");
        assert_eq!(A.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn an_interrupt_ends_the_running_step() {
        static A: AtomicUsize = AtomicUsize::new(0);
        let mut plan = Plan::new();
        plan.push(Fake {
            name: "a",
            result: || Ok(Outcome::done("x")),
            runs: &A,
            hang: true,
        });
        let recorder = Recorder::default();
        let interrupt = tokio::time::sleep(std::time::Duration::from_millis(20));
        let (report, error) = run(&plan, &recorder, RunOptions::default(), interrupt).await;
        assert!(matches!(error, Some(Error::Interrupted)));
        assert_eq!(report.steps[0].status, Status::Failed);
    }
}
