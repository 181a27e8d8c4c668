import { ApogeeError } from './ApogeeError';

/** Where a parameter was asked for: which method, which position, for which task. */
export interface ParameterSite {
  /** `ClassName.method`, a FuncArg's function name, or a no-decorator task's name. */
  readonly owner: string;
  /** Zero-based position of the parameter. */
  readonly index: number;
  /** The task being run or checked. */
  readonly taskName?: string;
}

/**
 * A keyed parameter (`@Arg('key')`) found no value at any level and had no fallback.
 * The run that needed it is recorded as `fail`; the scheduler goes on.
 */
export class MissingParameterError extends ApogeeError {
  /** The levels searched, highest priority first. */
  readonly levels: readonly string[];
  /** Where the parameter was asked for: method, position and task. */
  readonly site: ParameterSite;

  constructor(key: string, site: ParameterSite, levels: readonly string[]) {
    const task = site.taskName === undefined ? '' : `, task "${site.taskName}"`;
    super(
      'MISSING_PARAMETER',
      `Cannot resolve parameter "${key}" (parameter #${site.index} of ${site.owner}${task}).\n` +
        `Looked in: ${levels.join(' -> ')}; found in none.\n` +
        (levels.length === 1 && levels[0] === 'session'
          ? // Read from the session only (fromParam): the other levels would not reach it.
            `Fix: set it for the session with app.params({ ${key} }) or new App({ params: { ${key} } }).`
          : `Fix: pass it for this run with task.run({ ${key} }), declare it in @Task({ parameters }), ` +
            `give it a fallback with @Arg('${key}', value), or set it for the session with app.params({ ${key} }).`),
      { key, ...(site.taskName === undefined ? {} : { taskName: site.taskName }) },
    );
    this.levels = levels;
    this.site = site;
  }
}
