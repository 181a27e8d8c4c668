import type { Injection } from '../params/Injection';
import { Signature } from '../params/Signature';
import { readClassMetadata } from './ClassMetadata';

type Ctor = abstract new (...args: never[]) => unknown;

/**
 * The signature of task method `key` of `ctor`, compiled from what its parameter decorators
 * recorded: what a worker rebuilds after loading the task's module, from the same metadata
 * registration read in the scheduler (which has already refused a parameter without exactly one
 * decorator).
 */
export function methodSignature(ctor: Ctor, key: string): Signature {
  const owner = `${ctor.name}.${key}`;
  const parameters = readClassMetadata(ctor)?.methods.get(key)?.parameters;
  if (parameters === undefined) return Signature.compile([], owner);
  const count = Math.max(0, ...[...parameters.keys()].map((i) => i + 1));
  const injections: Injection[] = [];
  for (let i = 0; i < count; i++) {
    const injection = parameters.get(i)?.[0];
    if (injection !== undefined) injections.push(injection);
  }
  return Signature.compile(injections, owner);
}
