import { ConditionSyntaxError } from '../../errors/ConditionSyntaxError';
import { closeNames } from '../../errors/closeNames';
import { errorMessage } from '../../errors/errorMessage';
import { all, any, not, type Condition } from '../Condition';
import { atom, KEYWORDS, PastSpanError } from './atom';
import { tokenize, type Token } from './tokenize';

/** The hint of a syntax error that has no more precise one. */
export const EXAMPLES =
  "Write conditions such as 'every 10 seconds', 'daily between 08:00 and 10:00', \"after task 'fetch'\", " +
  "'time of day between 08:00 and 20:00 & every 10 minutes', or a registered custom condition's name, " +
  'combined with & (and), | (or), ~ (not) and parentheses.';

/** Deeper nesting of `(` and `~` than this is refused (it would overflow the recursive descent's stack). */
const MAX_NESTING = 100;
/** Atoms longer than this get no "did you mean": the edit distance is quadratic in length. */
const MAX_SUGGESTED_ATOM = 100;

/**
 * The recursive descent over one input's tokens: `|` binds loosest, then `&`, then `~` and
 * parentheses. One parser per input; {@link ConditionParser.parse} is called once.
 */
export class ConditionParser {
  private readonly tokens: Token[];
  /** The next token's index. */
  private i = 0;
  /** How many `(` and `~` enclose the current position. */
  private depth = 0;

  constructor(
    private readonly input: string,
    private readonly customNames: ReadonlySet<string>,
  ) {
    this.tokens = tokenize(input);
  }

  /** The whole input as one condition, or a {@link ConditionSyntaxError}. */
  parse(): Condition {
    const result = this.parseOr();
    const rest = this.peek();
    if (rest !== undefined)
      this.fail(
        rest.pos,
        `unexpected ${rest.kind === 'op' ? `'${rest.op}'` : `'${rest.text}'`} after a complete condition`,
      );
    return result;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private fail(pos: number, problem: string, hint = EXAMPLES): never {
    throw new ConditionSyntaxError(this.input, pos, problem, hint);
  }

  private parseOr(): Condition {
    const parts = [this.parseAnd()];
    for (let t = this.peek(); t?.kind === 'op' && t.op === '|'; t = this.peek()) {
      this.i++;
      parts.push(this.parseAnd());
    }
    return parts.length === 1 ? (parts[0] as Condition) : any(...parts);
  }

  private parseAnd(): Condition {
    const parts = [this.parseUnary()];
    for (let t = this.peek(); t?.kind === 'op' && t.op === '&'; t = this.peek()) {
      this.i++;
      parts.push(this.parseUnary());
    }
    return parts.length === 1 ? (parts[0] as Condition) : all(...parts);
  }

  private parseGroup(openedAt: number): Condition {
    const inner = this.parseOr();
    const close = this.peek();
    if (close?.kind !== 'op' || close.op !== ')')
      return this.fail(
        close?.pos ?? this.input.length,
        `expected ')' to close the '(' opened at position ${String(openedAt)}`,
      );
    this.i++;
    return inner;
  }

  private parseUnary(): Condition {
    const t = this.peek();
    if (t === undefined)
      return this.fail(this.input.length, 'expected a condition, found the end of the input');
    if (t.kind === 'atom') {
      this.i++;
      return this.parseAtom(t.text, t.pos);
    }
    if (t.op !== '~' && t.op !== '(') return this.fail(t.pos, `expected a condition, found '${t.op}'`);
    if (++this.depth > MAX_NESTING)
      this.fail(
        t.pos,
        `'(' and '~' are nested more than ${String(MAX_NESTING)} levels deep here`,
        'Flatten it: a & b & c needs no parentheses, and ~~x is x.',
      );
    this.i++;
    const inner = t.op === '~' ? not(this.parseUnary()) : this.parseGroup(t.pos);
    this.depth--;
    return inner;
  }

  /** The atom `text` at `pos`, a builder's error turned into a syntax error at that position. */
  private parseAtom(text: string, pos: number): Condition {
    let parsed: Condition | undefined;
    try {
      parsed = atom(text, this.customNames);
    } catch (error) {
      if (error instanceof ConditionSyntaxError) throw error;
      if (error instanceof PastSpanError)
        return this.fail(
          pos,
          error.message,
          `Write it after a status, e.g. "has succeeded ${error.atom}" or "task 'fetch' has failed ${error.atom}".`,
        );
      return this.fail(pos, `'${text}' is not a valid condition (${errorMessage(error)})`);
    }
    return parsed ?? this.unknownAtom(text, pos);
  }

  /** The error for an atom that matches nothing, with the nearest keywords or custom conditions. */
  private unknownAtom(text: string, pos: number): never {
    const { customNames } = this;
    const suggestible = text.length <= MAX_SUGGESTED_ATOM;
    const suggestions = suggestible ? closeNames(text, [...KEYWORDS, ...customNames]) : [];
    const firstWord = (text.split(/\s+/, 1)[0] ?? '').slice(0, MAX_SUGGESTED_ATOM);
    const byWord = suggestions.length > 0 ? suggestions : closeNames(firstWord, KEYWORDS);
    const mean = byWord.length > 0 ? `Did you mean ${byWord.map((s) => `'${s}'`).join(' or ')}? ` : '';
    const known =
      customNames.size > 0 ? `Registered custom conditions: ${[...customNames].join(', ')}. ` : '';
    return this.fail(
      pos,
      `'${text}' is not a known condition or a registered custom condition`,
      `${mean}${known}${EXAMPLES}`,
    );
  }
}
