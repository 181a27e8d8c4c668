/** Requests waiting for their next slice, in the order they asked. */
const waiting: (() => void)[] = [];
let releasing = false;

/** Lets one waiting request go on, and the next one only on the loop's next turn. */
function releaseOne(): void {
  waiting.shift()?.();
  if (waiting.length > 0) setImmediate(releaseOne);
  else releasing = false;
}

/**
 * Lets timers and I/O run before the caller's next slice of work: resolves on a later turn of the
 * event loop (a macrotask, unlike the microtask a resolved `records()` continues in). Callers
 * take turns, one slice per turn of the loop: were every waiting request resumed in the same
 * turn, 8 clients paging a long log would hold the loop for 8 slices between two timers.
 */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!releasing) {
      releasing = true;
      setImmediate(releaseOne);
    }
  });
}
