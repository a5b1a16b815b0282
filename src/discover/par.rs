//! Per-file work in parallel: `map` runs a function over every item on scoped threads
//! (items handed out one at a time, so a few large files do not idle the other threads) and
//! returns the results in item order, so the output does not depend on the thread count.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The worker count for `threads` (0 = one per core), never more than there are items.
pub fn workers(threads: usize, items: usize) -> usize {
    let n = if threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        threads
    };
    n.min(items).max(1)
}

/// Stack size of the worker threads: room for deep (but bounded, see
/// [`super::budget::MAX_DEPTH`]) recursion in the evaluators. Only the pages used are
/// committed.
pub const STACK_SIZE: usize = 256 * 1024 * 1024;

/// `items.iter().enumerate().map(f).collect()`, on `threads` threads (0 = one per core).
/// Always runs on worker threads with [`STACK_SIZE`] stacks, even for one thread.
pub fn map<T: Sync, R: Send>(
    threads: usize,
    items: &[T],
    f: impl Fn(usize, &T) -> R + Sync,
) -> Vec<R> {
    let n = workers(threads, items.len());
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(x) = items.get(i) else { break };
            let r = f(i, x);
            slots.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
        }
    };
    std::thread::scope(|s| {
        let started = (0..n).filter(|_| spawn_worker(s, &work)).count();
        // No thread could be started (a tight memory limit): the caller's thread does it.
        if started == 0 {
            work();
        }
    });
    slots
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every item mapped"))
        .collect()
}

/// Starts a scoped worker with a [`STACK_SIZE`] stack, or the default stack when that much
/// address space is refused; false when no thread can be started.
fn spawn_worker<'s, 'e: 's>(
    s: &'s std::thread::Scope<'s, 'e>,
    work: &'s (impl Fn() + Sync + 'e),
) -> bool {
    std::thread::Builder::new()
        .stack_size(STACK_SIZE)
        .spawn_scoped(s, work)
        .or_else(|_| std::thread::Builder::new().spawn_scoped(s, work))
        .is_ok()
}

/// Runs `f` on one worker thread with a [`STACK_SIZE`] stack (for the serial phases; on
/// the caller's thread when no thread can be started).
pub fn on_worker<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    let mut f = Some(f);
    let mut out = None;
    std::thread::scope(|s| {
        let slot = &mut out;
        let g = &mut f;
        let spawned = std::thread::Builder::new()
            .stack_size(STACK_SIZE)
            .spawn_scoped(s, move || {
                if let Some(f) = g.take() {
                    *slot = Some(f());
                }
            });
        if let Ok(h) = spawned
            && let Err(e) = h.join()
        {
            std::panic::resume_unwind(e);
        }
    });
    match (out, f) {
        (Some(r), _) => r,
        (None, Some(f)) => f(),
        (None, None) => unreachable!("the worker either ran f or left it"),
    }
}

/// Drops `x` on a thread of its own, so that the caller goes on at once: freeing what a scan
/// of a large tree keeps (the tokens of every file) takes longer than reporting. The process
/// may end before the thread does (the memory is returned all the same). When no thread can
/// be started, the closure, and `x` with it, is dropped here.
pub fn drop_in_background<T: Send + 'static>(x: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(x));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drop_in_background_drops() {
        struct Tell(std::sync::mpsc::Sender<std::thread::ThreadId>);
        impl Drop for Tell {
            fn drop(&mut self) {
                let _ = self.0.send(std::thread::current().id());
            }
        }
        let (tx, rx) = std::sync::mpsc::channel();
        drop_in_background(Tell(tx));
        let on = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("dropped");
        assert_ne!(on, std::thread::current().id());
    }

    #[test]
    fn keeps_item_order_whatever_the_thread_count() {
        let items: Vec<usize> = (0..1000).collect();
        for threads in [1, 2, 3, 8] {
            let out = map(threads, &items, |i, &x| {
                // Uneven work, so threads finish out of order.
                if x % 7 == 0 {
                    std::thread::yield_now();
                }
                (i, x * 2)
            });
            assert_eq!(out.len(), 1000);
            assert!(
                out.iter()
                    .enumerate()
                    .all(|(k, &(i, y))| k == i && y == 2 * k)
            );
        }
        assert!(map(2, &[] as &[u8], |_, _| 0u8).is_empty());
    }
}
