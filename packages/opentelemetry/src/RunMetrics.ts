import {
  ValueType,
  type Attributes,
  type Counter,
  type Histogram,
  type Meter,
  type UpDownCounter,
} from '@opentelemetry/api';
import type { InstrumentedApp, RunEndAction } from '@apogee/core';
import { METRIC_ATTR } from './attributes';

/**
 * The run metrics of API §14 on one meter. Attribute sets are made once per task (and outcome),
 * so recording a run allocates nothing of its own.
 */
export class RunMetrics {
  private readonly runs: Counter;
  private readonly duration: Histogram;
  private readonly lateness: Histogram;
  private readonly active: UpDownCounter;
  /** `{ task }` per task name. */
  private readonly byTask = new Map<string, Attributes>();
  /** `{ task, outcome }` per task name, then outcome. */
  private readonly byOutcome = new Map<string, Map<RunEndAction, Attributes>>();
  /** The apps whose leadership the `apogee.leader` gauge reports. */
  private readonly apps = new Set<InstrumentedApp>();

  constructor(meter: Meter) {
    this.runs = meter.createCounter('apogee.runs', {
      description: 'Runs that ended, by task and outcome',
      unit: '{run}',
      valueType: ValueType.INT,
    });
    this.duration = meter.createHistogram('apogee.run.duration', {
      description: 'How long runs took, from their start to their end',
      unit: 'ms',
    });
    this.lateness = meter.createHistogram('apogee.start.lateness', {
      description: 'How long after the instant it was due for each run began',
      unit: 'ms',
    });
    this.active = meter.createUpDownCounter('apogee.runs.active', {
      description: 'Runs executing now',
      unit: '{run}',
      valueType: ValueType.INT,
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

  started(taskName: string, lateness: number): void {
    const attributes = this.taskAttributes(taskName);
    this.lateness.record(lateness, attributes);
    this.active.add(1, attributes);
  }

  ended(taskName: string, action: RunEndAction, duration: number): void {
    this.active.add(-1, this.taskAttributes(taskName));
    const attributes = this.outcomeAttributes(taskName, action);
    this.runs.add(1, attributes);
    this.duration.record(duration, attributes);
  }

  private taskAttributes(taskName: string): Attributes {
    let attributes = this.byTask.get(taskName);
    if (attributes === undefined) {
      attributes = { [METRIC_ATTR.task]: taskName };
      this.byTask.set(taskName, attributes);
    }
    return attributes;
  }

  private outcomeAttributes(taskName: string, action: RunEndAction): Attributes {
    let byAction = this.byOutcome.get(taskName);
    if (byAction === undefined) {
      byAction = new Map();
      this.byOutcome.set(taskName, byAction);
    }
    let attributes = byAction.get(action);
    if (attributes === undefined) {
      attributes = { [METRIC_ATTR.task]: taskName, [METRIC_ATTR.outcome]: action };
      byAction.set(action, attributes);
    }
    return attributes;
  }
}
