//! The short-lived cache of positive Backend API answers for opaque tokens, keyed by the
//! SHA-256 digest of the token (the token itself is not kept).

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::Authenticated;

pub(super) type Digest = [u8; 32];

pub(super) fn digest(token: &str) -> Digest {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, token.as_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

pub(super) struct Answers {
    ttl: Duration,
    capacity: usize,
    table: Mutex<Table>,
}

#[derive(Default)]
struct Table {
    entries: HashMap<Digest, (Authenticated, Instant)>,
    order: VecDeque<Digest>,
}

impl Answers {
    /// `None` (ask every time) for a zero TTL or capacity.
    pub(super) fn new(ttl: Duration, capacity: usize) -> Option<Self> {
        (!ttl.is_zero() && capacity > 0).then(|| Answers {
            ttl,
            capacity,
            table: Mutex::new(Table::default()),
        })
    }

    /// The kept answer for the token with this digest, while fresh.
    pub(super) fn get(&self, digest: &Digest) -> Option<Authenticated> {
        let mut table = self.lock();
        let (answer, fresh_until) = table.entries.get(digest)?;
        if Instant::now() < *fresh_until {
            return Some(answer.clone());
        }
        table.entries.remove(digest);
        None
    }

    /// Keeps `answer` for the TTL, or until the token expires (`expires_ms`, Unix ms) if
    /// sooner; the oldest answers go first beyond capacity.
    pub(super) fn put(&self, digest: Digest, answer: &Authenticated, expires_ms: Option<i64>) {
        let mut keep = self.ttl;
        if let Some(expires_ms) = expires_ms {
            let now_ms = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
            let left = u64::try_from(expires_ms.saturating_sub(now_ms)).unwrap_or(0);
            keep = keep.min(Duration::from_millis(left));
        }
        if keep.is_zero() {
            return;
        }
        let mut table = self.lock();
        if table
            .entries
            .insert(digest, (answer.clone(), Instant::now() + keep))
            .is_none()
        {
            table.order.push_back(digest);
        }
        while table.entries.len() > self.capacity {
            let Some(oldest) = table.order.pop_front() else {
                break;
            };
            table.entries.remove(&oldest);
        }
        if table.order.len() > 2 * self.capacity {
            let Table { entries, order } = &mut *table;
            order.retain(|d| entries.contains_key(d));
        }
    }

    fn lock(&self) -> MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authenticate::{ApiKeyAuth, Authenticated};

    fn answer(id: &str) -> Authenticated {
        Authenticated::ApiKey(ApiKeyAuth {
            id: id.to_owned(),
            subject: "user_1".to_owned(),
            name: "k".to_owned(),
            scopes: Vec::new(),
            claims: None,
        })
    }

    #[test]
    fn zero_ttl_or_capacity_is_off() {
        assert!(Answers::new(Duration::ZERO, 10).is_none());
        assert!(Answers::new(Duration::from_secs(1), 0).is_none());
    }

    #[test]
    fn answers_expire_with_the_ttl_or_the_token() {
        let answers = Answers::new(Duration::from_millis(50), 10).unwrap();
        answers.put(digest("ak_a"), &answer("a"), None);
        assert_eq!(answers.get(&digest("ak_a")), Some(answer("a")));
        assert_eq!(answers.get(&digest("ak_b")), None);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(answers.get(&digest("ak_a")), None);
        // A token that has already expired is not kept at all.
        answers.put(digest("ak_c"), &answer("c"), Some(1));
        assert_eq!(answers.get(&digest("ak_c")), None);
    }

    #[test]
    fn the_oldest_answers_go_beyond_capacity() {
        let answers = Answers::new(Duration::from_secs(60), 2).unwrap();
        for t in ["ak_1", "ak_2", "ak_3"] {
            answers.put(digest(t), &answer(t), None);
        }
        assert_eq!(answers.get(&digest("ak_1")), None);
        assert!(answers.get(&digest("ak_3")).is_some());
    }
}
