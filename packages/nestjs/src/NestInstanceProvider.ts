import { ApogeeError, type Constructor, type InstanceProvider } from '@apogee/core';

/**
 * Apogee's "who builds task classes" port under Nest: returns the instance Nest built for each
 * discovered class, and builds any other class (the module's `tasks` option) with the
 * fallback, as an app without Nest would.
 */
export class NestInstanceProvider implements InstanceProvider {
  private readonly nest = new Map<Constructor, object>();
  private others: InstanceProvider | undefined;

  /** Makes `instance` the one whose methods run for `ctor`. */
  set(ctor: Constructor, instance: object): void {
    this.nest.set(ctor, instance);
  }

  /** Whether Nest provides `ctor`. */
  has(ctor: Constructor): boolean {
    return this.nest.has(ctor);
  }

  /** Who builds the classes Nest does not provide (set once the app, and its container, exist). */
  buildOthersWith(provider: InstanceProvider): void {
    this.others = provider;
  }

  get<T extends object>(ctor: new (...args: never[]) => T): T {
    const instance = this.nest.get(ctor) as T | undefined;
    if (instance !== undefined) return instance;
    if (this.others === undefined)
      throw new ApogeeError(
        'NEST_NOT_READY',
        `Cannot give an instance of ${ctor.name}: the Nest application has not bootstrapped yet, so its providers are not discovered. ` +
          'Run tasks once the application is initialised (await app.init(), or NestFactory.create...).',
      );
    return this.others.get(ctor);
  }
}
