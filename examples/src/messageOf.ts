/** The message of a failed run's error (`taskFailed` carries it as `unknown`: a task may throw anything). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
