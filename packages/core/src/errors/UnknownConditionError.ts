import { ApogeeError } from './ApogeeError';
import { didYouMean } from './closeNames';

/** `cond(name)` names a custom condition that nobody registered. */
export class UnknownConditionError extends ApogeeError {
  constructor(name: string, known: Iterable<string>, usedBy: string) {
    const names = [...known];
    super(
      'UNKNOWN_CONDITION',
      `Unknown custom condition "${name}" (used by ${usedBy}).${didYouMean(name, names)}` +
        (names.length === 0 ? ' No custom conditions are registered.' : ` Registered: ${names.join(', ')}.`) +
        `\nFix: register it with @Cond('${name}') on a method of a registered class, or with app.cond({ name: '${name}' }, fn).`,
      { input: name },
    );
  }
}
