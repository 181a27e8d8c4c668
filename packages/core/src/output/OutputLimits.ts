/** How much output one run keeps (`config.runOutput`). */
export interface OutputLimits {
  /** Lines kept per run; then one "truncated" line, and the rest is dropped. Default 1,000. */
  readonly maxLines?: number;
  /** Bytes kept per run (UTF-8 of each message and its fields as JSON). Default 256 KiB. */
  readonly maxBytes?: number;
}

/** The defaults of {@link OutputLimits}. */
export const DEFAULT_OUTPUT_LIMITS: Required<OutputLimits> = { maxLines: 1000, maxBytes: 256 * 1024 };
