import type { RunQuery, RunRecord } from './RunRecord';

/**
 * Where run records go. The scheduler keeps its own index of each task's last records, so a
 * log is only written to (and read back for history); plug a persistent one in with
 * `new App({ log })`.
 */
export interface RunLog {
  /** Store one record. A rejected promise is reported, never fatal to the scheduler. */
  append(record: RunRecord): void | Promise<void>;
  /** Stored records, oldest first. */
  records(query?: RunQuery): Promise<RunRecord[]>;
}
