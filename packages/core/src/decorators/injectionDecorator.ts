import { writeParameter } from '../metadata/ClassMetadata';
import type { Injection, InjectionDecorator } from '../params/Injection';

/** A parameter decorator that records `injection`, and carries it for `inject: [...]` lists. */
export function injectionDecorator(injection: Injection): InjectionDecorator {
  const decorate = (
    target: object,
    propertyKey: string | symbol | undefined,
    parameterIndex: number,
  ): void => {
    writeParameter(target, propertyKey, parameterIndex, injection);
  };
  return Object.assign(decorate, { injection });
}
