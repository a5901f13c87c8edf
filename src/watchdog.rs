//! Telling systemd how the service is (`Type=notify`): `READY=1` once the listeners are up, `WATCHDOG=1`
//! only while the store's writer commits and both delivery lanes go round, `STOPPING=1` when shutdown
//! begins. Outside systemd (no `NOTIFY_SOCKET`) every call does nothing.
//!
//! A writer that no longer answers (a hung disk) or a delivery lane stuck in one batch stops the feeding;
//! systemd then kills the process after `WatchdogSec=` and `Restart=` starts it again. A writer that
//! answers "failing" (a full disk) is alive: it heals the store itself once there is room (a restart
//! would not make room), and `/healthz` says `failing` meanwhile.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sd_notify::NotifyState;
use tokio::sync::watch;

use crate::state::State;

/// After the listeners are bound: the service is ready.
pub fn ready(status: &str) {
    if let Err(e) = sd_notify::notify(&[NotifyState::Ready, NotifyState::Status(status)]) {
        tracing::warn!(error = %e, "cannot tell systemd that the service is ready");
    }
}

/// Shutdown has begun.
pub fn stopping() {
    let _ = sd_notify::notify(&[NotifyState::Stopping, NotifyState::Status("stopping")]);
}

/// The interval systemd expects a `WATCHDOG=1` in, if it asked for one.
pub fn interval() -> Option<Duration> {
    sd_notify::watchdog_enabled()
}

/// How long a lane may stand still before the watchdog counts it stuck (an idle lane turns once a second;
/// a busy one once per batch).
pub const LANE_GRACE: Duration = Duration::from_secs(5);

/// What the watchdog has seen of the delivery lanes.
#[derive(Debug)]
pub struct Progress {
    grace: Duration,
    turns: (u64, u64),
    moved: [Instant; 2],
}

impl Progress {
    pub fn new(grace: Duration, now: Instant) -> Progress {
        Progress {
            grace,
            turns: (0, 0),
            moved: [now; 2],
        }
    }

    /// Whether to feed the watchdog at `now`: the writer committed (`writer` is its probe's outcome) and
    /// each lane has turned within the grace period.
    pub fn check(
        &mut self,
        writer: Result<(), String>,
        turns: (u64, u64),
        now: Instant,
    ) -> Result<(), String> {
        if turns.0 != self.turns.0 {
            self.moved[0] = now;
        }
        if turns.1 != self.turns.1 {
            self.moved[1] = now;
        }
        self.turns = turns;
        writer.map_err(|e| format!("the store's writer does not commit: {e}"))?;
        for (lane, moved) in ["archive", "other"].iter().zip(self.moved) {
            let still = now.saturating_duration_since(moved);
            if still > self.grace {
                return Err(format!(
                    "the {lane} delivery lane has not moved for {} s",
                    still.as_secs()
                ));
            }
        }
        Ok(())
    }
}

/// Feeds systemd's watchdog a third of its interval apart while the appliance makes progress.
pub async fn feed(state: Arc<State>, every: Duration, mut stop: watch::Receiver<bool>) {
    let step = (every / 3).max(Duration::from_millis(100));
    let mut tick = tokio::time::interval(step);
    let mut progress = Progress::new(LANE_GRACE.max(every / 2), Instant::now());
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        let writer = match tokio::time::timeout(step, state.store.probe_writer()).await {
            // Answered, but cannot write now: alive, and healing itself.
            Ok(Err(_)) if state.store.failing().is_some() => Ok(()),
            Ok(r) => r.map_err(|e| e.to_string()),
            Err(_) => Err(format!("no commit within {} ms", step.as_millis())),
        };
        match progress.check(writer, state.deliveries.turns(), Instant::now()) {
            Ok(()) => {
                let _ = sd_notify::notify(&[NotifyState::Watchdog]);
            }
            Err(why) => tracing::warn!(reason = %why, "not feeding the systemd watchdog"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fed_only_while_the_writer_commits_and_both_lanes_turn() {
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let mut p = Progress::new(Duration::from_secs(5), t0);
        assert!(
            p.check(Ok(()), (0, 0), at(1000)).is_ok(),
            "within the grace"
        );
        assert!(p.check(Ok(()), (1, 1), at(4000)).is_ok());
        assert!(p.check(Ok(()), (1, 2), at(8000)).is_ok(), "4 s still");
        let stuck = p.check(Ok(()), (1, 3), at(9500)).unwrap_err();
        assert!(
            stuck.contains("archive") && stuck.contains("5 s"),
            "{stuck}"
        );
        assert!(p.check(Ok(()), (2, 3), at(9600)).is_ok(), "moving again");
        let stuck = p.check(Ok(()), (3, 3), at(15000)).unwrap_err();
        assert!(stuck.contains("other"), "{stuck}");
        let writer = p
            .check(Err("disk full".into()), (4, 4), at(15100))
            .unwrap_err();
        assert!(writer.contains("disk full"), "{writer}");
        assert!(p.check(Ok(()), (5, 5), at(15200)).is_ok());
    }
}
