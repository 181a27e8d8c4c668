import { ValueType, type Histogram, type Meter } from '@opentelemetry/api';
import type { InstrumentedApp, RunEndAction } from '@apogee/core';
import { TaskTelemetry } from './TaskTelemetry';

/**
 * The run metrics of API §14 on one meter. A run records two measurements (its lateness and its
 * duration, histograms); `apogee.runs` and `apogee.runs.active` are observable instruments that
 * report the tallies of each {@link TaskTelemetry} when the meter collects, since each synchronous
 * recording costs the SDK an attribute hash and a lookup: run counts then cost a run an increment.
 */
export class RunMetrics {
  private readonly duration: Histogram;
  private readonly lateness: Histogram;
  /** Per task, in the order tasks first ran. */
  private readonly tasks = new Map<string, TaskTelemetry>();
  /** The apps whose leadership the `apogee.leader` gauge reports. */
  private readonly apps = new Set<InstrumentedApp>();

  constructor(meter: Meter) {
    // Made in the order exporters list them: runs, durations, lateness, active runs, leader.
    meter
      .createObservableCounter('apogee.runs', {
        description: 'Runs that ended, by task and outcome',
        unit: '{run}',
        valueType: ValueType.INT,
      })
      .addCallback((result) => {
        for (const task of this.tasks.values())
          for (const tally of task.outcomes.values()) result.observe(tally.count, tally.attributes);
      });
    this.duration = meter.createHistogram('apogee.run.duration', {
      description: 'How long runs took, from their start to their end',
      unit: 'ms',
    });
    this.lateness = meter.createHistogram('apogee.start.lateness', {
      description: 'How long after the instant it was due for each run began',
      unit: 'ms',
    });
    meter
      .createObservableUpDownCounter('apogee.runs.active', {
        description: 'Runs executing now',
        unit: '{run}',
        valueType: ValueType.INT,
      })
      .addCallback((result) => {
        for (const task of this.tasks.values()) result.observe(task.active, task.attributes);
      });
    meter
      .createObservableGauge('apogee.leader', {
        description: 'Whether this instance schedules runs (1) or stands by (0)',
        valueType: ValueType.INT,
      })
      .addCallback((result) => {
        for (const app of this.apps) {
          result.observe(app.isLeader ? 1 : 0);
          // One value per instrument and attribute set: an instrumentation shared by two apps
          // reports the first; give each app its own `otel()` to see both.
          return;
        }
      });
  }

  /** Reports `app`'s leadership from now on. */
  watch(app: InstrumentedApp): void {
    this.apps.add(app);
  }

  /** What is kept of task `taskName`, made at its first run. */
  task(taskName: string): TaskTelemetry {
    let task = this.tasks.get(taskName);
    if (task === undefined) {
      task = new TaskTelemetry(taskName);
      this.tasks.set(taskName, task);
    }
    return task;
  }

  started(task: TaskTelemetry, lateness: number): void {
    task.active++;
    this.lateness.record(lateness, task.attributes);
  }

  ended(task: TaskTelemetry, action: RunEndAction, duration: number): void {
    task.active--;
    this.duration.record(duration, task.ended(action));
  }
}
