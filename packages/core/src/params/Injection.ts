import type { Argument } from './Argument';

/**
 * What one method parameter receives. `keyed` follows the four levels (`@Arg`); `argument` is a
 * fixed source that batch and task parameters cannot override (`@Return`, `@Env`, `@Inject`, ...).
 */
export type Injection =
  | { readonly kind: 'keyed'; readonly key: string; readonly fallback: unknown; readonly decorator: string }
  | { readonly kind: 'argument'; readonly argument: Argument; readonly decorator: string };

/** A parameter decorator that can also be listed in `inject: [...]` (the no-decorator form). */
export interface InjectionDecorator {
  /** Applied as a parameter decorator: records the injection for parameter `parameterIndex` of the method (or constructor). */
  (target: object, propertyKey: string | symbol | undefined, parameterIndex: number): void;
  /** The injection this decorator stands for. */
  readonly injection: Injection;
}
