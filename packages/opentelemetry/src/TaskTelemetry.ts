import type { Attributes } from '@opentelemetry/api';
import type { RunEndAction } from '@apogee/core';
import { METRIC_ATTR } from './attributes';

/** The runs of one task that ended with one outcome, and their metric attributes. */
export interface OutcomeTally {
  /** `{ task, outcome }`. */
  readonly attributes: Attributes;
  /** How many ended so far (reported by `apogee.runs`). */
  count: number;
}

/**
 * What `otel()` keeps of one task, made at its first run: its span name and metric attribute sets,
 * so that a run builds neither, and the tallies the observable instruments report.
 */
export class TaskTelemetry {
  /** `apogee.run <task>`. */
  readonly spanName: string;
  /** `{ task }`: the attributes of `apogee.start.lateness` and `apogee.runs.active`. */
  readonly attributes: Attributes;
  /** Runs executing now (reported by `apogee.runs.active`). */
  active = 0;
  /** Runs that ended, by outcome. */
  readonly outcomes = new Map<RunEndAction, OutcomeTally>();

  constructor(readonly taskName: string) {
    this.spanName = `apogee.run ${taskName}`;
    this.attributes = { [METRIC_ATTR.task]: taskName };
  }

  /** Counts a run that ended with `action`; returns the attributes of its outcome. */
  ended(action: RunEndAction): Attributes {
    let tally = this.outcomes.get(action);
    if (tally === undefined) {
      tally = { attributes: { [METRIC_ATTR.task]: this.taskName, [METRIC_ATTR.outcome]: action }, count: 0 };
      this.outcomes.set(action, tally);
    }
    tally.count++;
    return tally.attributes;
  }
}
