/** The last instant written, and how: runs due at one instant (or begun in one ms) share it. */
let lastMs = Number.NaN;
let lastIso = '';

/**
 * `date.toISOString()`, remembered for the last instant asked: formatting costs a run more than
 * the rest of its attributes together, and runs come in bursts due at the same instant.
 */
export function isoTime(date: Date): string {
  const ms = date.getTime();
  if (ms !== lastMs) {
    lastIso = date.toISOString();
    lastMs = ms;
  }
  return lastIso;
}
