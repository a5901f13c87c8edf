//! The appliance's clock. Everything that asks "what time is it" for the product's rules — draft expiry,
//! sessions, retries, reference years, list validity — asks this clock, so a test can move time forward
//! without sleeping. In production it is the system clock (the offset stays zero).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_secs: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock::default()
    }

    pub fn now(&self) -> time::OffsetDateTime {
        time::OffsetDateTime::now_utc()
            + time::Duration::seconds(self.offset_secs.load(Ordering::Relaxed))
    }

    /// Unix seconds.
    pub fn unix(&self) -> i64 {
        self.now().unix_timestamp()
    }

    /// Today in Norway (Europe/Oslo), which decides list validity and the reference's year.
    pub fn today(&self) -> time::Date {
        crate::forms::engine::today_in_norway(self.now())
    }

    /// Moves this clock (and every copy of it) forward by `secs` (tests).
    pub fn advance(&self, secs: i64) {
        self.offset_secs.fetch_add(secs, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_every_copy() {
        let c = Clock::system();
        let copy = c.clone();
        let before = copy.unix();
        c.advance(7 * 24 * 3600);
        assert!(copy.unix() >= before + 7 * 24 * 3600);
    }
}
