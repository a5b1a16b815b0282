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

/// `items.iter().enumerate().map(f).collect()`, on `threads` threads (0 = one per core).
pub fn map<T: Sync, R: Send>(
    threads: usize,
    items: &[T],
    f: impl Fn(usize, &T) -> R + Sync,
) -> Vec<R> {
    let n = workers(threads, items.len());
    if n <= 1 {
        return items.iter().enumerate().map(|(i, x)| f(i, x)).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..n {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(x) = items.get(i) else { break };
                    let r = f(i, x);
                    slots.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
                }
            });
        }
    });
    slots
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every item mapped"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
