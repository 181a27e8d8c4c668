import { ApogeeError } from './ApogeeError';

/** Where a condition string was written: the task and its origin, or the session parameter. */
export interface ConditionSite {
  /** The task whose condition it is. */
  readonly taskName?: string;
  /** `Class.method` for a decorated task, the task's name for the no-decorator form. */
  readonly owner?: string;
  /** The session parameter it came from (`fromParam('key')`). */
  readonly key?: string;
  /** Which condition of the task: `'start'`, `'end'` or `'shutdownWhen'`. */
  readonly role?: string;
}

function siteText(site: ConditionSite): string {
  const parts: string[] = [];
  if (site.taskName !== undefined) {
    const owner = site.owner !== undefined && site.owner !== site.taskName ? ` (${site.owner})` : '';
    parts.push(`task "${site.taskName}"${owner}`);
  }
  if (site.role !== undefined) parts.push(`${site.role} condition`);
  if (site.key !== undefined) parts.push(`session parameter "${site.key}" (fromParam('${site.key}'))`);
  return parts.length === 0 ? '' : `In the ${parts.join(', ')}: `;
}

/** A condition string that does not parse, or names a custom condition nobody registered. */
export class ConditionSyntaxError extends ApogeeError {
  /** Zero-based offset in the input where the problem starts. */
  readonly position: number;
  /** `Class.method` of the task whose condition it is, when known. */
  readonly owner?: string;

  constructor(
    /** The condition string as given. */
    readonly conditionInput: string,
    position: number,
    /** What is wrong at `position`, in words. */
    readonly problem: string,
    /** A suggested fix, shown under the caret; empty when there is none. */
    readonly hint = '',
    /** Where the condition was written (task, role, session parameter); empty when unknown. */
    readonly site: ConditionSite = {},
  ) {
    const caret = `${' '.repeat(position)}^`;
    super(
      'CONDITION_SYNTAX',
      `${siteText(site)}Cannot parse condition "${conditionInput}" at position ${position}: ${problem}.\n  ${conditionInput}\n  ${caret}${hint === '' ? '' : `\n${hint}`}`,
      {
        input: conditionInput,
        ...(site.taskName === undefined ? {} : { taskName: site.taskName }),
        ...(site.key === undefined ? {} : { key: site.key }),
      },
    );
    this.position = position;
    if (site.owner !== undefined) this.owner = site.owner;
  }

  /** The same error, naming where the condition was written (the parser does not know). */
  at(site: ConditionSite): ConditionSyntaxError {
    return new ConditionSyntaxError(this.conditionInput, this.position, this.problem, this.hint, {
      ...this.site,
      ...site,
    });
  }
}
