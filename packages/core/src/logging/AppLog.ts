import type { RunAction } from '../conditions/runActions';
import { ApogeeError } from '../errors/ApogeeError';
import type { SchedulerEvent } from '../scheduler/events/SchedulerEvent';
import type { ApogeeLogger } from './ApogeeLogger';
import { errorText } from './errorText';
import { FoldedWarnings, type Warning } from './FoldedWarnings';

/**
 * What Apogee itself writes to `config.logger`: one error line per failed, crashed or timed-out
 * run, a line per leadership change and paused task, and warnings (folded per cause). Messages
 * stand alone (a console shows everything); the same facts travel as fields in the second
 * argument, for JSON loggers.
 */
export class AppLog {
  private readonly warnings: FoldedWarnings;

  constructor(
    readonly logger: ApogeeLogger,
    /** Whether leadership changes are worth a line: only when a leadership was configured. */
    private readonly leadershipMatters: boolean,
    now: () => number,
  ) {
    this.warnings = new FoldedWarnings(now);
    this.warnings.useLogger(logger);
  }

  /** A run of `taskName` ended with `action`; `error` is its error or termination reason. */
  runEnded(taskName: string, runId: string, action: RunAction, error: unknown): void {
    const timedOut = action === 'terminate' && ApogeeError.is(error) && error.code === 'TASK_TIMEOUT';
    if (action !== 'fail' && action !== 'crash' && !timedOut) return;
    const what = timedOut ? 'timed out' : action === 'crash' ? 'crashed' : 'failed';
    this.logger.error(`Apogee: task "${taskName}" ${what} (run ${runId}): ${errorText(error)}`, {
      task: taskName,
      runId,
      outcome: timedOut ? 'timeout' : action,
      err: error,
    });
  }

  /** The lines some scheduler events are worth (emitted whether or not anyone listens to them). */
  event(event: SchedulerEvent): void {
    if (event.type === 'taskPaused') {
      this.logger.warn(
        `Apogee: task "${event.taskName}" is paused after ${String(event.failures)} failures in a row ` +
          '(pauseAfterFailures); task.enable() resumes it.',
        { task: event.taskName, failures: event.failures },
      );
    } else if (this.leadershipMatters && event.type === 'leadershipAcquired') {
      this.logger.info('Apogee: this process leads: it checks conditions and starts runs.', { leader: true });
    } else if (this.leadershipMatters && event.type === 'leadershipLost') {
      const why = event.reason === undefined ? '' : ` (${event.reason})`;
      this.logger.warn(`Apogee: this process no longer leads${why}; it starts no runs.`, {
        leader: false,
        ...(event.reason === undefined ? {} : { reason: event.reason }),
      });
    }
  }

  /** A warning, folded with those of the same cause in the last minute. */
  readonly warn = (warning: Warning): void => {
    this.warnings.warn(warning);
  };
}
