/** Options of `app.run(...)`. */
export interface RunOptions {
  /** Shut down gracefully on SIGINT and SIGTERM while running. Default true. */
  readonly handleSignals?: boolean;
}
