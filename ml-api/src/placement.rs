//! Which CPUs the worker threads run on.
//!
//! An actix worker owns its connections for their whole life: while the
//! kernel keeps a worker waiting behind another busy thread, every request on
//! its connections waits too. When the process has exactly as many CPUs as
//! workers (a machine or a CPU set of its own), giving each worker a CPU of
//! its own, as nginx's `worker_cpu_affinity auto` does, keeps the workers
//! from queueing behind each other on one CPU. On the 2-core benchmark
//! machine, with the load tool sharing the cores, that took the p99 of
//! one-record predictions from 1.3–2.4 ms to 0.4–1.7 ms (BENCHMARKS.md §5).
//!
//! The blocking pool's threads (large batches) are started by a worker and
//! so inherit its CPU; [`free_batch_thread`] gives them back every CPU of
//! the process before their first batch, so a batch runs wherever a CPU is
//! idle. Other threads a worker happens to start keep its CPU: the only one
//! seen is flexi_logger's log clean-up, which wakes once a rotation.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The `PIN_WORKERS` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinWorkers {
    /// Pin when there are as many workers (two or more) as CPUs the
    /// process may run on, and leave them to the kernel otherwise: on a
    /// shared host whose CPU quota set the worker count, pinning would tie
    /// the workers to CPUs other processes are busy on.
    Auto,
    /// Pin, round-robin over the CPUs the process may run on.
    On,
    /// Leave the workers to the kernel.
    Off,
}

impl PinWorkers {
    /// `auto`, `on` (or `true`) and `off` (or `false`), in any case.
    ///
    /// # Errors
    /// A message saying the value is not one of those.
    pub fn parse(value: &str) -> Result<PinWorkers, String> {
        match value.to_ascii_lowercase().as_str() {
            "auto" => Ok(PinWorkers::Auto),
            "on" | "true" => Ok(PinWorkers::On),
            "off" | "false" => Ok(PinWorkers::Off),
            _ => Err(format!("`{value}` is not auto, on or off")),
        }
    }
}

/// The CPUs the workers are pinned to, decided once at start-up and handed
/// out in turn as the workers start.
#[derive(Debug, Default)]
pub struct Placement {
    /// Empty when the workers are left to the kernel.
    cpus: Vec<usize>,
    next: AtomicUsize,
}

impl Placement {
    /// The placement `mode` gives `workers` workers on the CPUs this
    /// process may run on now.
    pub fn plan(mode: PinWorkers, workers: usize) -> Placement {
        Placement::on_cpus(mode, workers, process_cpus())
    }

    /// The placement on a given list of CPUs (empty when it is unknown).
    pub fn on_cpus(mode: PinWorkers, workers: usize, cpus: Vec<usize>) -> Placement {
        let pin = match mode {
            PinWorkers::Off => false,
            PinWorkers::On => true,
            PinWorkers::Auto => workers >= 2 && workers == cpus.len(),
        };
        Placement {
            cpus: if pin { cpus } else { Vec::new() },
            next: AtomicUsize::new(0),
        }
    }

    /// The CPUs workers are pinned to, in the order they are handed out;
    /// empty when the workers are not pinned.
    pub fn cpus(&self) -> &[usize] {
        &self.cpus
    }

    /// Pins the calling thread, a worker starting, to the next CPU of the
    /// plan (a worker restarted after a panic takes the next one in turn).
    /// Returns the CPU, or `None` when workers are not pinned.
    ///
    /// # Errors
    /// When the kernel refuses the affinity; the worker then runs unpinned.
    pub fn pin_this_worker(&self) -> std::io::Result<Option<usize>> {
        if self.cpus.is_empty() {
            return Ok(None);
        }
        let turn = self.next.fetch_add(1, Ordering::Relaxed);
        let cpu = self.cpus[turn % self.cpus.len()];
        set_this_thread_cpus(&[cpu])?;
        Ok(Some(cpu))
    }
}

/// Lets the calling thread run on every CPU the process may run on; done
/// once per thread, so it costs two system calls in a thread's life.
/// Failures are logged and otherwise ignored: the thread keeps the CPU it
/// had, which is slower for batches but still correct.
pub fn free_batch_thread() {
    thread_local! {
        static FREED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if FREED.with(|freed| freed.replace(true)) {
        return;
    }
    let cpus = process_cpus();
    if cpus.is_empty() {
        return;
    }
    if let Err(e) = set_this_thread_cpus(&cpus) {
        log::warn!("a batch thread keeps its worker's CPU: {e}");
    }
}

/// The CPUs the process may run on, read from the main thread (which is
/// never pinned); empty where that cannot be known.
#[cfg(target_os = "linux")]
pub fn process_cpus() -> Vec<usize> {
    use rustix::thread::{CpuSet, Pid, sched_getaffinity};
    let main_thread = i32::try_from(std::process::id())
        .ok()
        .and_then(Pid::from_raw);
    match sched_getaffinity(main_thread) {
        Ok(set) => (0..CpuSet::MAX_CPU)
            .filter(|&cpu| set.is_set(cpu))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The CPUs the calling thread may run on; empty where that cannot be known.
#[cfg(target_os = "linux")]
pub fn this_thread_cpus() -> Vec<usize> {
    use rustix::thread::{CpuSet, sched_getaffinity};
    match sched_getaffinity(None) {
        Ok(set) => (0..CpuSet::MAX_CPU)
            .filter(|&cpu| set.is_set(cpu))
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[cfg(target_os = "linux")]
fn set_this_thread_cpus(cpus: &[usize]) -> std::io::Result<()> {
    use rustix::thread::{CpuSet, sched_setaffinity};
    let mut set = CpuSet::new();
    for &cpu in cpus {
        set.set(cpu);
    }
    sched_setaffinity(None, &set).map_err(std::io::Error::from)
}

/// Elsewhere the CPUs are unknown, so `auto` never pins.
#[cfg(not(target_os = "linux"))]
pub fn process_cpus() -> Vec<usize> {
    Vec::new()
}

#[cfg(not(target_os = "linux"))]
pub fn this_thread_cpus() -> Vec<usize> {
    Vec::new()
}

#[cfg(not(target_os = "linux"))]
fn set_this_thread_cpus(_cpus: &[usize]) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "CPU affinity is only set on Linux",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_reads_its_three_values_and_names_a_bad_one() {
        assert_eq!(PinWorkers::parse("AUTO"), Ok(PinWorkers::Auto));
        assert_eq!(PinWorkers::parse("on"), Ok(PinWorkers::On));
        assert_eq!(PinWorkers::parse("true"), Ok(PinWorkers::On));
        assert_eq!(PinWorkers::parse("Off"), Ok(PinWorkers::Off));
        assert_eq!(PinWorkers::parse("false"), Ok(PinWorkers::Off));
        let error = PinWorkers::parse("sometimes").unwrap_err();
        assert!(error.contains("`sometimes`"), "{error}");
    }

    #[test]
    fn auto_pins_only_when_workers_and_cpus_are_as_many() {
        let auto = |workers, cpus: &[usize]| {
            Placement::on_cpus(PinWorkers::Auto, workers, cpus.to_vec())
                .cpus()
                .to_vec()
        };
        assert_eq!(auto(2, &[0, 1]), vec![0, 1]);
        assert_eq!(auto(2, &[4, 6]), vec![4, 6], "a CPU set of its own");
        assert!(
            auto(2, &[0, 1, 2, 3]).is_empty(),
            "a quota on a bigger host"
        );
        assert!(auto(4, &[0, 1]).is_empty(), "more workers than CPUs");
        assert!(auto(1, &[3]).is_empty(), "one worker has nothing to gain");
        assert!(auto(2, &[]).is_empty(), "CPUs unknown");
    }

    #[test]
    fn on_and_off_do_what_they_say_whatever_the_counts() {
        let on = Placement::on_cpus(PinWorkers::On, 4, vec![0, 1]);
        assert_eq!(on.cpus(), &[0, 1]);
        let off = Placement::on_cpus(PinWorkers::Off, 2, vec![0, 1]);
        assert!(off.cpus().is_empty());
        assert_eq!(off.pin_this_worker().unwrap(), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_worker_is_pinned_in_turn_and_a_batch_thread_gets_every_cpu_back() {
        let cpus = process_cpus();
        assert!(!cpus.is_empty(), "Linux reports the process's CPUs");
        // Two workers on the last CPU and the first, in that order.
        let plan = vec![*cpus.last().unwrap(), cpus[0]];
        let placement = std::sync::Arc::new(Placement::on_cpus(PinWorkers::On, 2, plan.clone()));
        for (turn, expected) in plan.iter().chain(plan.iter()).enumerate() {
            let placement = placement.clone();
            let (pinned, seen, freed) = std::thread::spawn(move || {
                let pinned = placement.pin_this_worker().unwrap();
                let seen = this_thread_cpus();
                free_batch_thread();
                (pinned, seen, this_thread_cpus())
            })
            .join()
            .unwrap();
            assert_eq!(pinned, Some(*expected), "turn {turn}");
            assert_eq!(seen, vec![*expected], "turn {turn}");
            assert_eq!(freed, cpus, "turn {turn}: every CPU back");
        }
        assert_eq!(this_thread_cpus(), cpus, "the calling thread is untouched");
    }
}
