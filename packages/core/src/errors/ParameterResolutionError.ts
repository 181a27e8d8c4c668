import { ApogeeError } from './ApogeeError';
import { errorMessage } from './errorMessage';
import type { ParameterSite } from './MissingParameterError';

/** Indents every line of `text`, as tsyringe nests the reason of a failed injection. */
const indent = (text: string): string => text.replace(/^/gm, '    ');

/**
 * A parameter's value needed other parameters, and one of those could not be resolved: a
 * `@Param` provider (or `app.param`, or a `FuncArg`) whose own parameter is missing, whose own
 * provider threw, and so on. Each level of the chain wraps the one below it, with the inner
 * error as `cause` and its message indented under `Reason:`, so the outermost message reads
 * from the task down to the failure (`load <- db_url <- db_host`).
 *
 * @example
 * ```ts
 * // Cannot resolve parameter "db_url" (parameter #0 of Jobs.load, task "load"): Jobs.load <- db_url <- db_host. Reason:
 * //     Cannot resolve parameter "db_host" (parameter #0 of Params.dbUrl, task "load"). ...
 * ```
 */
export class ParameterResolutionError extends ApogeeError {
  /** Where the parameter was asked for: method, position and task. */
  readonly site: ParameterSite;

  /**
   * @param label - what the parameter at `site` asked for: its key, or an argument's label.
   * @param chain - `label`, then what it needed, down to the parameter that failed.
   */
  constructor(label: string, site: ParameterSite, chain: readonly string[], cause: unknown) {
    const task = site.taskName === undefined ? '' : `, task "${site.taskName}"`;
    super(
      'PARAMETER_RESOLUTION_FAILED',
      `Cannot resolve parameter "${label}" (parameter #${site.index} of ${site.owner}${task}): ` +
        `${[site.owner, ...chain].join(' <- ')}. Reason:\n${indent(errorMessage(cause))}`,
      { key: label, chain, cause, ...(site.taskName === undefined ? {} : { taskName: site.taskName }) },
    );
    this.site = site;
  }

  /** The failure at the end of the chain: the first cause that is not itself a link. */
  get rootCause(): unknown {
    let error: unknown = this.cause;
    while (error instanceof ParameterResolutionError) error = error.cause;
    return error;
  }
}
