/**
 * The histogram buckets of `/metrics`, in ms: the OpenTelemetry SDK's default explicit bounds, so
 * that `apogee_run_duration_milliseconds` reads the same here as through `@apogee/opentelemetry`.
 */
export const BUCKET_BOUNDS: readonly number[] = [
  0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000,
];

/** One histogram series: how many observations fell at or below each bound, their count and sum. */
export class BucketCounts {
  /** Per bound (not cumulative; summed when written), then one for `+Inf`. */
  readonly counts = new Array<number>(BUCKET_BOUNDS.length + 1).fill(0);
  count = 0;
  sum = 0;

  observe(value: number): void {
    let at = 0;
    while (at < BUCKET_BOUNDS.length && value > (BUCKET_BOUNDS[at] as number)) at++;
    this.counts[at] = (this.counts[at] as number) + 1;
    this.count++;
    this.sum += value;
  }
}
