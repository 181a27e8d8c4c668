/** Where an uncaught error came from: a throw nobody caught, or a rejection nobody handled. */
export type UncaughtOrigin = 'uncaughtException' | 'unhandledRejection';

/**
 * Keeps the process alive through errors that escape every task (a throw in a timer a task left
 * behind, a promise it started and never awaited): each is handed to `report` instead of ending
 * the process, as Node does by default. A scheduler stopped by one stray callback would stop every
 * other task with it; the run that caused it has usually ended long before, so there is no run to
 * fail. Returns the function that restores Node's default.
 */
export function watchUncaughtErrors(report: (error: unknown, origin: UncaughtOrigin) => void): () => void {
  const onException = (error: unknown): void => {
    report(error, 'uncaughtException');
  };
  const onRejection = (reason: unknown): void => {
    report(reason, 'unhandledRejection');
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.removeListener('uncaughtException', onException);
    process.removeListener('unhandledRejection', onRejection);
  };
}
