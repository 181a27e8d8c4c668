import type {
  App,
  Instrumentation,
  InstrumentedRunEnd,
  InstrumentedRunStart,
  RunEndAction,
  RunObserver,
} from '@apogee/core';
import { BucketCounts } from './BucketCounts';

/** The series of one task: what `/metrics` writes under its `task` label. */
export interface TaskSeries {
  /** Runs that ended, by outcome. */
  readonly runs: Map<RunEndAction, number>;
  /** Their durations, by outcome. */
  readonly durations: Map<RunEndAction, BucketCounts>;
  readonly lateness: BucketCounts;
  /** Runs executing now. */
  active: number;
}

/**
 * The run metrics of one app, kept in memory for `GET /metrics`: the series `@apogee/opentelemetry`
 * reports (API §14), counted through the same core seam, so that `@apogee/http` needs no
 * OpenTelemetry. Counts start when the handler is created.
 */
export class RunSeries implements Instrumentation {
  /** Series per task, in the order tasks first ran. */
  readonly tasks = new Map<string, TaskSeries>();

  constructor(private readonly app: Pick<App, 'isLeader'>) {}

  /** Whether the app schedules runs now. */
  get isLeader(): boolean {
    return this.app.isLeader;
  }

  runStarted(run: Pick<InstrumentedRunStart, 'taskName' | 'lateness' | 'execution'>): RunObserver {
    const series = this.series(run.taskName);
    // A queue run is told of when it is handed to the queue: it counts as started when a worker takes it.
    if (run.execution === 'queue')
      return {
        begun: (begin) => {
          started(series, begin.lateness);
        },
        ended: (end) => {
          ended(series, end);
        },
      };
    started(series, run.lateness);
    return {
      ended: (end) => {
        ended(series, end);
      },
    };
  }

  private series(taskName: string): TaskSeries {
    let series = this.tasks.get(taskName);
    if (series === undefined) {
      series = { runs: new Map(), durations: new Map(), lateness: new BucketCounts(), active: 0 };
      this.tasks.set(taskName, series);
    }
    return series;
  }
}

function started(series: TaskSeries, lateness: number): void {
  series.lateness.observe(lateness);
  series.active++;
}

function ended(series: TaskSeries, end: InstrumentedRunEnd): void {
  series.active--;
  series.runs.set(end.action, (series.runs.get(end.action) ?? 0) + 1);
  let durations = series.durations.get(end.action);
  if (durations === undefined) {
    durations = new BucketCounts();
    series.durations.set(end.action, durations);
  }
  durations.observe(end.duration);
}
