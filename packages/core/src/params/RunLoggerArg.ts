import { ApogeeError } from '../errors/ApogeeError';
import type { OutputLevel, OutputLine } from '../log/OutputLine';
import { outputFields } from '../log/outputFields';
import type { RunLoggerFn, RunLogMethod } from '../log/RunLoggerFn';
import { Argument } from './Argument';
import { EXECUTING, type ArgumentPlacement } from './ArgumentPlacement';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';
import type { RunContext } from './RunContext';

/** The run's logger (what `@RunLogger()` injects): each line is kept with the run's output. */
export class RunLoggerArg extends Argument {
  get label(): string {
    return 'RunLogger';
  }
  /** Made where the run executes: a worker's lines travel back to the scheduler's run. */
  override get placement(): ArgumentPlacement {
    return EXECUTING;
  }
  /** A condition check is no run: it has no output to keep. */
  override produce(run: RunContext): RunLoggerFn {
    const { write } = run;
    if (write === undefined) {
      throw new ApogeeError(
        'RUN_LOGGER_OUTSIDE_RUN',
        `@RunLogger() was asked for outside a run${run.taskName === undefined ? '' : ` of task "${run.taskName}"`} (in a condition or parameter provider checked for a condition): only a run keeps output.\n` +
          'Fix: use @RunLogger() on task methods only; log from conditions with config.logger.',
        run.taskName === undefined ? {} : { taskName: run.taskName },
      );
    }
    const at =
      (level: OutputLevel): RunLogMethod =>
      (message, fields) => {
        write(lineOf(level, message, fields));
      };
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  }
  compute(input: ArgumentScope): RunLoggerFn {
    return this.produce(engineScope(input, this).execution);
  }
}

function lineOf(
  level: OutputLevel,
  message: unknown,
  fields: Readonly<Record<string, unknown>> | undefined,
): OutputLine {
  const text = typeof message === 'string' ? message : String(message);
  const base = { at: new Date(), level, message: text };
  return fields === undefined || typeof fields !== 'object' || fields === null
    ? base
    : { ...base, fields: outputFields(fields) };
}
