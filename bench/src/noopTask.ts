/** The no-op task of the thread and process throughput runs: a worker finds it by this export. */
export function noop(): void {
  // Nothing: what is measured is the cost of a run around it.
}
