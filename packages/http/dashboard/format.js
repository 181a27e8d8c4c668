// How times, durations and outcomes read on the page.

const UNITS = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1000],
];

/** `1.2 s`, `3 min 4 s`, `2 h 5 min`. */
export function duration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const parts = [];
  let rest = ms;
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0 && parts.length < 2) parts.push(`${n} ${unit}`);
    if (n > 0) rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** `in 5 min`, `3 s ago`, relative to now. */
export function relative(iso, now = Date.now()) {
  if (iso === null || iso === undefined) return '';
  const delta = new Date(iso).getTime() - now;
  if (Math.abs(delta) < 1000) return 'now';
  return delta > 0 ? `in ${duration(delta)}` : `${duration(-delta)} ago`;
}

/** A local date and time, to the second. */
export function when(iso) {
  if (iso === null || iso === undefined) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString(undefined, { hour12: false });
}

/** What an action is called on the page. */
export const OUTCOME_LABEL = {
  success: 'succeeded',
  fail: 'failed',
  terminate: 'terminated',
  inaction: 'inaction',
  crash: 'crashed',
  run: 'running',
};

/** A task's state in one word, for its badge and the status filter. */
export function taskState(task) {
  if (task.disabled) return 'disabled';
  if (task.isRunning) return 'running';
  return task.status ?? 'never';
}

/** What a state from {@link taskState} reads as. */
export function stateLabel(state) {
  return state === 'never' ? 'never run' : (OUTCOME_LABEL[state] ?? state);
}

/**
 * The run among `runs` (finished runs from the log, oldest first) that is the task's last run,
 * as the task's state says (`lastRun`, its start), or undefined when the log does not have it.
 */
export function lastFinished(task, runs) {
  const newest = runs[runs.length - 1];
  if (newest === undefined || newest.start === null || task.lastRun === null) return undefined;
  return new Date(newest.start).getTime() === new Date(task.lastRun).getTime() ? newest : undefined;
}

/** JSON for display, two-space indented. */
export function pretty(value) {
  return JSON.stringify(value, null, 2);
}

/** Creates an element with a class and text. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
