import { BUCKET_BOUNDS, type BucketCounts } from './BucketCounts';
import type { RunSeries } from './RunSeries';

/** A label value as the text format wants it: backslash, double quote and line feed escaped. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

type Labels = readonly (readonly [string, string])[];

const labelText = (labels: Labels): string =>
  labels.length === 0 ? '' : `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;

/** A sample value: integers as such, `+Inf` as Prometheus spells it. */
const num = (value: number): string => (value === Infinity ? '+Inf' : String(value));

function header(out: string[], name: string, type: string, help: string): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
}

function histogram(out: string[], name: string, labels: Labels, counts: BucketCounts): void {
  let cumulative = 0;
  counts.counts.forEach((count, at) => {
    cumulative += count;
    const le = at < BUCKET_BOUNDS.length ? (BUCKET_BOUNDS[at] as number) : Infinity;
    out.push(`${name}_bucket${labelText([...labels, ['le', num(le)]])} ${String(cumulative)}`);
  });
  out.push(`${name}_sum${labelText(labels)} ${num(counts.sum)}`);
  out.push(`${name}_count${labelText(labels)} ${String(counts.count)}`);
}

/**
 * The run metrics in the Prometheus text exposition format (version 0.0.4), named as
 * OpenTelemetry's Prometheus exporter names `@apogee/opentelemetry`'s: `apogee_runs_total`,
 * `apogee_run_duration_milliseconds`, `apogee_start_lateness_milliseconds`, `apogee_runs_active`,
 * `apogee_leader`.
 */
export function prometheusText(series: RunSeries): string {
  const out: string[] = [];
  const tasks = [...series.tasks];
  header(out, 'apogee_runs_total', 'counter', 'Runs that ended, by task and outcome.');
  for (const [task, s] of tasks)
    for (const [outcome, count] of s.runs)
      out.push(
        `apogee_runs_total${labelText([
          ['task', task],
          ['outcome', outcome],
        ])} ${String(count)}`,
      );
  header(
    out,
    'apogee_run_duration_milliseconds',
    'histogram',
    'How long runs took, from start to end, in ms.',
  );
  for (const [task, s] of tasks)
    for (const [outcome, counts] of s.durations)
      histogram(
        out,
        'apogee_run_duration_milliseconds',
        [
          ['task', task],
          ['outcome', outcome],
        ],
        counts,
      );
  header(
    out,
    'apogee_start_lateness_milliseconds',
    'histogram',
    'How long after the instant it was due for each run began, in ms.',
  );
  for (const [task, s] of tasks)
    histogram(out, 'apogee_start_lateness_milliseconds', [['task', task]], s.lateness);
  header(out, 'apogee_runs_active', 'gauge', 'Runs executing now.');
  for (const [task, s] of tasks)
    out.push(`apogee_runs_active${labelText([['task', task]])} ${String(s.active)}`);
  header(out, 'apogee_leader', 'gauge', 'Whether this instance schedules runs (1) or stands by (0).');
  out.push(`apogee_leader ${series.isLeader ? '1' : '0'}`);
  return `${out.join('\n')}\n`;
}
