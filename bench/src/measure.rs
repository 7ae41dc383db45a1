//! Timing helpers: child processes with their peak memory, and latency summaries.

use std::io;
use std::process::Command;
use std::time::{Duration, Instant};

use serde::Serialize;

/// A finished child process: wall time, peak resident memory and exit code.
pub struct ProcessRun {
    pub wall: Duration,
    pub max_rss_bytes: u64,
    pub exit_code: i32,
}

/// Runs `command` to completion and reads its peak RSS from the kernel.
///
/// `wait4` gives the resource usage of exactly this child, unlike
/// `getrusage(RUSAGE_CHILDREN)`, which keeps the maximum over every child the
/// benchmark ever waited for.
pub fn run_measured(command: &mut Command) -> io::Result<ProcessRun> {
    let start = Instant::now();
    let child = command.spawn()?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet reaped (the `Child` handle is
    // never waited on), and both out-pointers are valid for writes.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    if reaped != pid {
        return Err(io::Error::last_os_error());
    }
    drop(child);
    let exit_code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    Ok(ProcessRun {
        wall,
        // Linux reports ru_maxrss in kibibytes.
        max_rss_bytes: usage.ru_maxrss as u64 * 1024,
        exit_code,
    })
}

/// Latency percentiles over a set of timings, in microseconds.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Latency {
    pub p50_us: f64,
    pub p95_us: f64,
    pub mean_us: f64,
    pub samples: usize,
}

impl Latency {
    /// Summarises timings (nearest-rank percentiles).
    pub fn of(mut timings: Vec<Duration>) -> Latency {
        if timings.is_empty() {
            return Latency::default();
        }
        timings.sort();
        let us = |d: Duration| d.as_secs_f64() * 1e6;
        let rank = |p: f64| {
            let i = ((p * timings.len() as f64).ceil() as usize).clamp(1, timings.len());
            us(timings[i - 1])
        };
        Latency {
            p50_us: rank(0.50),
            p95_us: rank(0.95),
            mean_us: timings.iter().copied().map(us).sum::<f64>() / timings.len() as f64,
            samples: timings.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_nearest_rank() {
        let timings = (1..=100).map(Duration::from_micros).collect();
        let latency = Latency::of(timings);
        assert_eq!(latency.p50_us.round(), 50.0);
        assert_eq!(latency.p95_us.round(), 95.0);
        assert_eq!(latency.mean_us.round(), 51.0); // 50.5
    }

    #[test]
    fn a_child_reports_its_exit_code_and_some_memory() {
        let run = run_measured(Command::new("sh").args(["-c", "exit 3"])).unwrap();
        assert_eq!(run.exit_code, 3);
        assert!(run.max_rss_bytes > 0);
    }
}
