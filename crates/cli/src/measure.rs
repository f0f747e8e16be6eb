//! The measuring loops shared by `shortcrust calibrate` and `shortcrust bench`: clocks, the
//! median of repeated runs, a least-squares line, and the progress bar.
//!
//! Time is the calling thread's **CPU time** (`CLOCK_THREAD_CPUTIME_ID`, as the criterion
//! benches of `shortcrust-crypto` use) wherever the work is single-threaded CPU work: on a shared
//! machine, wall time mostly measures the scheduler, while the thread's CPU time is what the work
//! costs. Work that waits on the disk (a commit's fsync, opening a database) is measured in wall
//! time instead, since the waiting is part of its cost.
//!
//! Every figure is the **median** of repeated samples; a sample of a fast function runs it in a
//! batch long enough that the clock's own cost (a system call for the thread clock) vanishes.

use std::borrow::Cow;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Which clock a measurement reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// CPU time of the calling thread.
    ThreadCpu,
    /// Monotonic wall time.
    Wall,
}

impl Clock {
    /// Nanoseconds since an arbitrary origin fixed for the process.
    pub fn now(self) -> u64 {
        match self {
            Clock::ThreadCpu => thread_cpu_nanos().unwrap_or_else(wall_nanos),
            Clock::Wall => wall_nanos(),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Clock::ThreadCpu => "thread CPU time",
            Clock::Wall => "wall time",
        }
    }
}

/// The calling thread's CPU time in nanoseconds; `None` if the kernel refuses the clock (then
/// callers fall back to wall time rather than fail a measurement).
fn thread_cpu_nanos() -> Option<u64> {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable `timespec` that outlives the call, and
    // `clock_gettime` writes nothing else; the return value is checked.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    if rc != 0 {
        return None;
    }
    let seconds = u64::try_from(now.tv_sec).ok()?;
    let nanos = u64::try_from(now.tv_nsec).ok()?;
    Some(seconds.saturating_mul(1_000_000_000).saturating_add(nanos))
}

fn wall_nanos() -> u64 {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    let elapsed = ORIGIN.get_or_init(Instant::now).elapsed();
    u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX)
}

/// How hard to measure: `--quick` (seconds, for tests and a first look) or the full run.
#[derive(Clone, Copy, Debug)]
pub struct Effort {
    pub quick: bool,
    /// Fewest samples per median.
    pub min_samples: usize,
    /// Most samples per median.
    pub max_samples: usize,
    /// Time after which no further sample is started once `min_samples` are in.
    pub budget: Duration,
    /// Fast functions run in batches of at least this long per sample.
    pub batch_target: Duration,
}

impl Effort {
    pub fn new(quick: bool) -> Self {
        if quick {
            Effort {
                quick,
                min_samples: 3,
                max_samples: 15,
                budget: Duration::from_millis(20),
                batch_target: Duration::from_micros(200),
            }
        } else {
            Effort {
                quick,
                min_samples: 11,
                max_samples: 201,
                budget: Duration::from_millis(600),
                batch_target: Duration::from_millis(2),
            }
        }
    }

    /// The full value, or the quick one under `--quick`.
    pub fn pick<T>(&self, full: T, quick: T) -> T {
        if self.quick { quick } else { full }
    }
}

/// The median of `values` (`0.0` for none). Sorts in place.
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Nanoseconds `runs` consecutive calls of `f` take on `clock`.
fn time_batch<R>(clock: Clock, runs: u64, f: &mut impl FnMut() -> R) -> u64 {
    let start = clock.now();
    for _ in 0..runs {
        std::hint::black_box(f());
    }
    clock.now().saturating_sub(start)
}

/// The median nanoseconds of one call of `f`, on `clock`, after one warm-up call.
///
/// Calls faster than `effort.batch_target` are timed in batches (the per-call figure of a
/// sample is the batch's time over its length).
pub fn per_call<R>(clock: Clock, effort: &Effort, mut f: impl FnMut() -> R) -> f64 {
    std::hint::black_box(f());
    let target = u64::try_from(effort.batch_target.as_nanos()).unwrap_or(u64::MAX);
    let one = time_batch(clock, 1, &mut f).max(1);
    let batch = (target / one).clamp(1, 1_000_000);
    let budget = u64::try_from(effort.budget.as_nanos()).unwrap_or(u64::MAX);
    let mut samples = Vec::with_capacity(effort.min_samples);
    let start = clock.now();
    while samples.len() < effort.min_samples
        || (samples.len() < effort.max_samples && clock.now().saturating_sub(start) < budget)
    {
        samples.push(time_batch(clock, batch, &mut f) as f64 / batch as f64);
    }
    median(&mut samples)
}

/// The median nanoseconds of one run of `work`, which reports its own duration (for work whose
/// timed part needs a fresh setup every time, such as reopening a VM). Stops like [`per_call`].
pub fn per_run(
    effort: &Effort,
    work: impl FnMut() -> Result<f64, crate::error::CliError>,
) -> Result<f64, crate::error::CliError> {
    Ok(median(&mut samples(effort, work)?))
}

/// Every sample of [`per_run`]: runs `work` at least `effort.min_samples` times, then until
/// `effort.max_samples` or the time budget.
pub fn samples(
    effort: &Effort,
    mut work: impl FnMut() -> Result<f64, crate::error::CliError>,
) -> Result<Vec<f64>, crate::error::CliError> {
    let mut samples = Vec::with_capacity(effort.min_samples);
    let start = Instant::now();
    while samples.len() < effort.min_samples
        || (samples.len() < effort.max_samples && start.elapsed() < effort.budget)
    {
        samples.push(work()?);
    }
    Ok(samples)
}

/// `y ≈ base + per_unit × x`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line {
    pub base: f64,
    pub per_unit: f64,
}

impl Line {
    pub fn at(&self, x: f64) -> f64 {
        self.base + self.per_unit * x
    }

    pub fn scaled(&self, factor: f64) -> Line {
        Line {
            base: self.base * factor,
            per_unit: self.per_unit * factor,
        }
    }
}

/// The least-squares line through `points` (`(x, y)`). With fewer than two distinct `x`, the
/// line is flat at the mean `y`.
pub fn fit(points: &[(f64, f64)]) -> Line {
    let n = points.len() as f64;
    if points.is_empty() {
        return Line {
            base: 0.0,
            per_unit: 0.0,
        };
    }
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    if sxx == 0.0 {
        return Line {
            base: mean_y,
            per_unit: 0.0,
        };
    }
    let per_unit = sxy / sxx;
    Line {
        base: mean_y - per_unit * mean_x,
        per_unit,
    }
}

/// A progress bar on stderr (drawn only when stderr is a terminal), one step per measurement.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    pub fn new(title: &'static str, steps: u64) -> Self {
        let bar = ProgressBar::with_draw_target(Some(steps), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{prefix:.bold} [{bar:30.cyan/blue}] {pos}/{len} {elapsed:>4} {wide_msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(title);
        Progress { bar }
    }

    /// Starts the next step, naming it.
    pub fn start(&self, what: impl Into<Cow<'static, str>>) {
        self.bar.set_message(what);
    }

    /// Finishes the current step.
    pub fn done(&self) {
        self.bar.inc(1);
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// A duration in nanoseconds, in the unit that suits it: `850 ns`, `12.3 µs`, `7.49 ms`.
pub fn duration(ns: f64) -> String {
    if ns < 0.0 {
        // A fitted line's base or slope can come out negative within the noise.
        return format!("−{}", duration(-ns));
    }
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut []), 0.0);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn least_squares_recovers_a_line_and_averages_noise() {
        let exact = fit(&[(0.0, 10.0), (1.0, 12.0), (5.0, 20.0)]);
        assert!((exact.base - 10.0).abs() < 1e-9 && (exact.per_unit - 2.0).abs() < 1e-9);
        // Symmetric noise around y = 1 + 3x cancels.
        let noisy = fit(&[(0.0, 2.0), (0.0, 0.0), (2.0, 8.0), (2.0, 6.0)]);
        assert!((noisy.base - 1.0).abs() < 1e-9 && (noisy.per_unit - 3.0).abs() < 1e-9);
        let flat = fit(&[(4.0, 1.0), (4.0, 3.0)]);
        assert_eq!((flat.base, flat.per_unit), (2.0, 0.0));
        assert_eq!(fit(&[]).at(7.0), 0.0);
    }

    #[test]
    fn thread_clock_advances_with_work() {
        let start = Clock::ThreadCpu.now();
        let mut x = 0u64;
        for i in 0..2_000_000u64 {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
        }
        assert!(Clock::ThreadCpu.now() > start, "{x}");
        let effort = Effort::new(true);
        assert!(per_call(Clock::ThreadCpu, &effort, || std::hint::black_box(1 + 1)) >= 0.0);
    }

    #[test]
    fn durations_pick_their_unit() {
        assert_eq!(duration(850.0), "850 ns");
        assert_eq!(duration(12_345.0), "12.3 µs");
        assert_eq!(duration(7_490_000.0), "7.49 ms");
        assert_eq!(duration(2.5e9), "2.50 s");
        assert_eq!(duration(-26_446.0), "−26.4 µs");
    }
}
