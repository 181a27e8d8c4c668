import { Argument } from './Argument';
import { defaultOr, type DefaultOption } from './defaults';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';

/**
 * The command-line value after `flag` (`--env prod` or `--env=prod`), from the app's `argv`
 * (default `process.argv`).
 *
 * @example
 * ```ts
 * new CliArg('--env', { default: 'dev' })
 * ```
 */
export class CliArg extends Argument {
  constructor(
    /** The flag, including its dashes, such as `'--env'`. */
    readonly flag: string,
    private readonly options?: DefaultOption,
  ) {
    super();
  }
  /** `Cli(flag)`. */
  get label(): string {
    return `Cli(${this.flag})`;
  }
  /** The value after the flag in the app's `argv`, or the default when the flag is absent. */
  compute(input: ArgumentScope): unknown {
    const scope = engineScope(input, this);
    const argv = scope.host.argv;
    const prefix = `${this.flag}=`;
    for (let i = 0; i < argv.length; i++) {
      const token = argv[i];
      if (token === this.flag && i + 1 < argv.length) return argv[i + 1];
      if (token?.startsWith(prefix) === true) return token.slice(prefix.length);
    }
    return defaultOr(
      this.options,
      `Command-line flag ${this.flag} was not given (or has no value after it).`,
      { key: this.flag },
    );
  }
}
