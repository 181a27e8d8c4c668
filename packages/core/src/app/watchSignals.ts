/**
 * Calls `onSignal` on the next SIGINT or SIGTERM (a graceful shutdown). Returns the function that
 * stops listening, so the app leaves no listener behind once it has stopped.
 */
export function watchSignals(onSignal: () => void): () => void {
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
}
