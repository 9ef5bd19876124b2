//! A bounded pool for password work: hashing and verifying take tens of milliseconds and
//! (argon2) 19 MiB or more each, so they run on a few threads of their own, one per core,
//! never more at once, with a bounded queue in front.
//!
//! A request beyond the queue is refused at once ([`PasswordWorkError::Busy`], answered 429
//! with `Retry-After`), and every job has a deadline ([`DEADLINE`]): a caller that waited
//! that long gets [`PasswordWorkError::TimedOut`] (503), and a worker skips a job whose
//! caller is gone. A job that has started runs to its end, which the import bounds keep to
//! seconds. The threads are the pool's own, not tokio's blocking pool, so that shutting
//! the runtime down never waits for them; they end when the pool is dropped.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

use super::{PasswordDigest, hash_now, verify_now};
use crate::secret::Secret;

/// How long a caller waits for its password work, queueing included (by default).
pub(crate) const DEADLINE: Duration = Duration::from_secs(10);

/// Jobs that may wait per worker before new ones are refused.
const QUEUE_PER_WORKER: usize = 8;

/// At most this many workers, whatever the number of cores: each may hold 256 MiB.
const MAX_WORKERS: usize = 8;

/// Why password work was not done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PasswordWorkError {
    /// The queue is full: try again shortly.
    Busy,
    /// The work did not finish within [`DEADLINE`].
    TimedOut,
    /// Hashing failed (argon2 refused its own parameters: a bug, not the caller's fault).
    Failed,
}

/// The work a job asks for.
enum Work {
    Hash(Secret),
    Verify(Secret, PasswordDigest),
}

/// What a job produced.
enum Done {
    Hashed(PasswordDigest),
    Verified(bool),
}

struct Job {
    work: Work,
    deadline: Instant,
    reply: oneshot::Sender<Result<Done, PasswordWorkError>>,
}

/// The pool. Cheap to share behind the server's state; dropping it ends its threads.
#[derive(Debug)]
pub(crate) struct PasswordPool {
    jobs: SyncSender<Job>,
    queued: Arc<AtomicUsize>,
    /// Jobs the workers started (skipped ones not counted).
    #[cfg_attr(not(test), allow(dead_code))]
    started: Arc<AtomicUsize>,
    deadline: Duration,
}

impl PasswordPool {
    /// A pool with one worker per core (at most [`MAX_WORKERS`]).
    pub(crate) fn new() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self::with_limits(cores.clamp(1, MAX_WORKERS), DEADLINE)
    }

    /// A pool with `workers` threads, room for [`QUEUE_PER_WORKER`] waiting jobs each, and
    /// `deadline` for each job.
    pub(crate) fn with_limits(workers: usize, deadline: Duration) -> Self {
        let workers = workers.max(1);
        let (jobs, receiver) = mpsc::sync_channel(workers * QUEUE_PER_WORKER);
        let receiver = Arc::new(Mutex::new(receiver));
        let queued = Arc::new(AtomicUsize::new(0));
        let started = Arc::new(AtomicUsize::new(0));
        for index in 0..workers {
            let receiver = Arc::clone(&receiver);
            let counts = (Arc::clone(&queued), Arc::clone(&started));
            let spawned = std::thread::Builder::new()
                .name(format!("clerk-password-{index}"))
                .spawn(move || work(&receiver, &counts.0, &counts.1));
            if let Err(err) = spawned {
                tracing::error!(error = %err, "cannot start a password worker thread");
            }
        }
        Self {
            jobs,
            queued,
            started,
            deadline,
        }
    }

    /// Hashes a new password with argon2id.
    pub(crate) async fn hash(&self, password: Secret) -> Result<PasswordDigest, PasswordWorkError> {
        match self.run(Work::Hash(password)).await? {
            Done::Hashed(digest) => Ok(digest),
            Done::Verified(_) => Err(PasswordWorkError::Failed),
        }
    }

    /// Whether `password` matches `stored`.
    pub(crate) async fn verify(
        &self,
        password: Secret,
        stored: PasswordDigest,
    ) -> Result<bool, PasswordWorkError> {
        match self.run(Work::Verify(password, stored)).await? {
            Done::Verified(matches) => Ok(matches),
            Done::Hashed(_) => Err(PasswordWorkError::Failed),
        }
    }

    async fn run(&self, work: Work) -> Result<Done, PasswordWorkError> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            work,
            deadline: Instant::now() + self.deadline,
            reply,
        };
        self.queued.fetch_add(1, Ordering::AcqRel);
        if let Err(refused) = self.jobs.try_send(job) {
            self.queued.fetch_sub(1, Ordering::AcqRel);
            return Err(match refused {
                TrySendError::Full(_) => PasswordWorkError::Busy,
                TrySendError::Disconnected(_) => PasswordWorkError::Failed,
            });
        }
        match tokio::time::timeout(self.deadline, answer).await {
            Ok(Ok(done)) => done,
            Ok(Err(_)) => Err(PasswordWorkError::TimedOut), // skipped: its deadline passed
            Err(_) => Err(PasswordWorkError::TimedOut),
        }
    }
}

/// A worker: takes jobs until the pool is dropped.
fn work(receiver: &Mutex<Receiver<Job>>, queued: &AtomicUsize, started: &AtomicUsize) {
    loop {
        let job = {
            let receiver = receiver.lock().unwrap_or_else(|p| p.into_inner());
            receiver.recv()
        };
        let Ok(job) = job else {
            return; // the pool is gone
        };
        queued.fetch_sub(1, Ordering::AcqRel);
        if job.reply.is_closed() || Instant::now() >= job.deadline {
            continue; // nobody is waiting for it any more
        }
        started.fetch_add(1, Ordering::AcqRel);
        let done = match job.work {
            Work::Hash(password) => hash_now(&password).map(Done::Hashed).map_err(|err| {
                tracing::error!(error = %err, "argon2 hashing failed");
                PasswordWorkError::Failed
            }),
            Work::Verify(password, stored) => Ok(Done::Verified(verify_now(&password, &stored))),
        };
        let _ = job.reply.send(done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_and_verifies() {
        let pool = PasswordPool::with_limits(1, DEADLINE);
        let stored = pool.hash(Secret::new("correct horse")).await.unwrap();
        assert!(
            pool.verify(Secret::new("correct horse"), stored.clone())
                .await
                .unwrap()
        );
        assert!(
            !pool
                .verify(Secret::new("wrong horse"), stored)
                .await
                .unwrap()
        );
    }

    /// Beyond one running job and a full queue, work is refused at once, not queued.
    #[tokio::test]
    async fn a_full_queue_refuses_work() {
        let pool = Arc::new(PasswordPool::with_limits(1, DEADLINE));
        let stored = super::super::hash_now(&Secret::new("correct horse")).unwrap();
        let callers: Vec<_> = (0..(QUEUE_PER_WORKER + 8))
            .map(|_| {
                let pool = Arc::clone(&pool);
                let stored = stored.clone();
                tokio::spawn(async move { pool.verify(Secret::new("guess"), stored).await })
            })
            .collect();
        let mut busy = 0;
        let mut done = 0;
        for caller in callers {
            match caller.await.unwrap() {
                Ok(false) => done += 1,
                Err(PasswordWorkError::Busy) => busy += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!(busy >= 7, "{busy} refused, {done} done");
        assert!(done >= QUEUE_PER_WORKER, "{busy} refused, {done} done");
    }

    /// A caller waits at most the deadline, and a worker skips the jobs whose callers left.
    #[tokio::test]
    async fn callers_wait_at_most_the_deadline() {
        let deadline = Duration::from_millis(40);
        let pool = Arc::new(PasswordPool::with_limits(1, deadline));
        // 64 MiB and 3 passes: some 200 ms at best, far longer than the deadline.
        let slow = PasswordDigest {
            digest: Secret::new(
                "$argon2id$v=19$m=65536,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
            ),
            hasher: "argon2id".to_owned(),
        };
        let (running, queued) = tokio::join!(
            pool.verify(Secret::new("a"), slow.clone()),
            pool.verify(Secret::new("b"), slow),
        );
        assert_eq!(running, Err(PasswordWorkError::TimedOut));
        assert_eq!(queued, Err(PasswordWorkError::TimedOut));
        // Once the running job is done, the queued one is skipped, not run for nobody.
        let waited = Instant::now();
        while pool.started.load(Ordering::Acquire) == 0 || pool.queued.load(Ordering::Acquire) > 0 {
            assert!(
                waited.elapsed() < Duration::from_secs(30),
                "the worker is stuck"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(pool.started.load(Ordering::Acquire), 1);
    }
}
