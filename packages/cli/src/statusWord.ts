/** What each recorded action reads as, the words of the dashboard's status badge. */
const OUTCOME_WORD: Record<string, string> = {
  success: 'succeeded',
  fail: 'failed',
  terminate: 'terminated',
  inaction: 'inaction',
  crash: 'crashed',
  run: 'running',
};

/**
 * A task's state in one word, as the dashboard shows it: "disabled" first (a disabled task keeps
 * the status of its last run, which would hide that it no longer starts), then "running", then how
 * the last run ended, or "never run".
 */
export function statusWord(task: { disabled?: unknown; isRunning?: unknown; status?: unknown }): string {
  if (task.disabled === true) return 'disabled';
  if (task.isRunning === true) return 'running';
  if (typeof task.status !== 'string') return 'never run';
  return OUTCOME_WORD[task.status] ?? task.status;
}
