//! Progress of long work on stderr: a live bar on a terminal, a line every few seconds
//! otherwise (CI logs, redirected stderr), so stdout stays clean for data.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How often a line is printed when stderr is not a terminal.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

/// Progress of one job (`import`, `export`).
pub struct Progress {
    bar: Option<ProgressBar>,
    plain: Mutex<Plain>,
    what: &'static str,
    total: Option<u64>,
}

struct Plain {
    done: u64,
    last_print: Instant,
}

impl Progress {
    /// Progress over `total` items (unknown: `None`), called `what` (`rows`, `users`).
    pub fn new(what: &'static str, total: Option<u64>) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
            let template = if total.is_some() {
                "{bar:40} {pos}/{len} {prefix} ({elapsed}, {eta} left) {msg}"
            } else {
                "{spinner} {pos} {prefix} ({elapsed}) {msg}"
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            bar.set_prefix(what);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Self {
            bar,
            plain: Mutex::new(Plain {
                done: 0,
                last_print: Instant::now(),
            }),
            what,
            total,
        }
    }

    /// `n` more items done; `note` says how they are going (`12 failed`).
    pub fn advance(&self, n: u64, note: impl FnOnce() -> String) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
            bar.set_message(note());
            return;
        }
        let mut plain = self.plain.lock().unwrap_or_else(|p| p.into_inner());
        plain.done += n;
        if plain.last_print.elapsed() >= PLAIN_EVERY {
            plain.last_print = Instant::now();
            let of = self.total.map(|t| format!("/{t}")).unwrap_or_default();
            let line = format!("… {}{of} {} {}", plain.done, self.what, note());
            eprintln!("{}", line.trim_end());
        }
    }

    /// A message on stderr that does not garble the bar.
    pub fn note(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{text}")),
            None => eprintln!("{text}"),
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
