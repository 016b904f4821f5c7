//! Readiness polling: probe until ready, retrying only what is transient, under one overall
//! deadline. Between attempts a watch can end the wait early (the container exited), so a dead
//! service fails at once instead of at the deadline.

use std::future::Future;
use std::time::{Duration, Instant};

/// The result of one attempt.
pub enum Probe<E> {
    Ready,
    /// Not ready yet, for a reason worth retrying; the reason is kept for the timeout message.
    Transient(String),
    /// Will not get better by waiting.
    Fatal(E),
}

/// Exponential backoff: `first`, doubling, never more than `max`.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub first: Duration,
    pub max: Duration,
}

impl Backoff {
    /// The readiness default: first retry after 25 ms, doubling, capped at 100 ms. A failed
    /// attempt while a server starts is cheap (refused, or reset by the port proxy), and the time
    /// between "ready" and the next attempt adds directly to every cold start; the cap stays well
    /// inside the 250 ms the workflow promises.
    pub const READINESS: Backoff = Backoff {
        first: Duration::from_millis(25),
        max: Duration::from_millis(100),
    };

    pub fn delay(&self, attempt: u32) -> Duration {
        self.first
            .saturating_mul(1 << attempt.min(16))
            .min(self.max)
    }
}

/// Why polling ended without the probe becoming ready.
#[derive(Debug)]
pub enum PollError<E> {
    /// The deadline passed; the last transient reason.
    TimedOut {
        waited: Duration,
        last: String,
        attempts: u32,
    },
    /// The probe or the watch failed for good.
    Fatal(E),
}

/// Calls `probe` until it is ready, `watch` before every retry, all within `timeout`. Each probe
/// attempt is itself cut off at the deadline.
pub async fn poll_until<E, P, PF, W, WF>(
    timeout: Duration,
    backoff: Backoff,
    mut probe: P,
    mut watch: W,
) -> Result<u32, PollError<E>>
where
    P: FnMut() -> PF,
    PF: Future<Output = Probe<E>>,
    W: FnMut() -> WF,
    WF: Future<Output = Result<(), E>>,
{
    let started = Instant::now();
    let deadline = started + timeout;
    let mut attempts = 0;
    loop {
        attempts += 1;
        let remaining = deadline.saturating_duration_since(Instant::now());
        let last = match tokio::time::timeout(remaining, probe()).await {
            Ok(Probe::Ready) => return Ok(attempts),
            Ok(Probe::Fatal(error)) => return Err(PollError::Fatal(error)),
            Ok(Probe::Transient(reason)) => reason,
            Err(_) => "the last attempt did not answer in time".into(),
        };
        watch().await.map_err(PollError::Fatal)?;
        let now = Instant::now();
        if now >= deadline {
            return Err(PollError::TimedOut {
                waited: now - started,
                last,
                attempts,
            });
        }
        let delay = backoff.delay(attempts - 1).min(deadline - now);
        tokio::time::sleep(delay).await;
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    #[test]
    fn backoff_starts_small_and_is_capped() {
        let b = Backoff::READINESS;
        assert_eq!(b.delay(0), Duration::from_millis(25));
        assert_eq!(b.delay(1), Duration::from_millis(50));
        assert_eq!(b.delay(2), Duration::from_millis(100));
        assert_eq!(b.delay(3), Duration::from_millis(100));
        assert_eq!(b.delay(100), Duration::from_millis(100));
    }

    #[tokio::test]
    async fn retries_transient_failures_until_ready() {
        let calls = Cell::new(0);
        let result: Result<u32, PollError<String>> = poll_until(
            Duration::from_secs(5),
            Backoff {
                first: Duration::from_millis(1),
                max: Duration::from_millis(2),
            },
            || {
                calls.set(calls.get() + 1);
                let n = calls.get();
                async move {
                    if n < 4 {
                        Probe::Transient("refused".into())
                    } else {
                        Probe::Ready
                    }
                }
            },
            || async { Ok(()) },
        )
        .await;
        assert_eq!(result.unwrap(), 4);
    }

    #[tokio::test]
    async fn a_fatal_probe_ends_at_once() {
        let result = poll_until(
            Duration::from_secs(5),
            Backoff::READINESS,
            || async { Probe::Fatal("bad password") },
            || async { Ok(()) },
        )
        .await;
        assert!(matches!(result, Err(PollError::Fatal("bad password"))));
    }

    #[tokio::test]
    async fn the_watch_ends_the_wait_when_the_service_dies() {
        let result = poll_until(
            Duration::from_secs(5),
            Backoff::READINESS,
            || async { Probe::Transient("refused".into()) },
            || async { Err("container exited with code 1") },
        )
        .await;
        assert!(matches!(
            result,
            Err(PollError::Fatal("container exited with code 1"))
        ));
    }

    #[tokio::test]
    async fn times_out_with_the_last_reason() {
        let started = Instant::now();
        let result: Result<u32, PollError<String>> = poll_until(
            Duration::from_millis(120),
            Backoff::READINESS,
            || async { Probe::Transient("connection refused".into()) },
            || async { Ok(()) },
        )
        .await;
        let Err(PollError::TimedOut { last, attempts, .. }) = result else {
            panic!("expected a timeout")
        };
        assert_eq!(last, "connection refused");
        assert!(attempts >= 3, "{attempts}");
        assert!(started.elapsed() < Duration::from_millis(400));
    }
}
