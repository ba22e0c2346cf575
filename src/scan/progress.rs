//! The progress bar: on standard error, only when it is a terminal and `--quiet` is not
//! given; never when output is piped or redirected (scripts and CI logs stay clean).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar over the bytes of the inputs (compressed bytes for gzip), its length
/// growing as inputs are found.
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    last_message: Instant,
}

impl Progress {
    /// A bar if standard error is a terminal and `quiet` is false.
    pub fn new(quiet: bool) -> Option<Progress> {
        if quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr_with_hz(8));
        let style = ProgressStyle::with_template(
            "{spinner} {elapsed_precise} {bar:30} {bytes}/{total_bytes} {bytes_per_sec} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(125));
        Some(Progress {
            bar,
            last_message: Instant::now(),
        })
    }

    /// The bar, for the threads that advance it and the output that must not garble it.
    pub fn bar(&self) -> &ProgressBar {
        &self.bar
    }

    /// Updates the message (files, findings), at most a few times a second.
    pub fn counts(&mut self, files: u64, findings: u64) {
        if self.last_message.elapsed() < Duration::from_millis(100) {
            return;
        }
        self.last_message = Instant::now();
        self.bar
            .set_message(format!("{files} 文件 files · {findings} 发现 findings"));
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
