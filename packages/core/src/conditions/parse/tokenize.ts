import { ConditionSyntaxError } from '../../errors/ConditionSyntaxError';

/** An operator or an atom (the text between operators), with its position in the input. */
export type Token =
  { kind: 'op'; op: '&' | '|' | '~' | '(' | ')'; pos: number } | { kind: 'atom'; text: string; pos: number };

/** Splits a condition string into operators and atoms; quotes keep operators inside an atom. */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (c === '&' || c === '|' || c === '~' || c === '(' || c === ')') {
      tokens.push({ kind: 'op', op: c, pos: i });
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    let quote: string | undefined;
    while (i < input.length) {
      const ch = input[i] as string;
      if (quote !== undefined) {
        if (ch === quote) quote = undefined;
      } else if (ch === "'" || ch === '"') quote = ch;
      else if ('&|~()'.includes(ch)) break;
      i++;
    }
    if (quote !== undefined)
      throw new ConditionSyntaxError(input, start, `the quote ${quote} is never closed`);
    tokens.push({ kind: 'atom', text: input.slice(start, i).trimEnd(), pos: start });
  }
  return tokens;
}
