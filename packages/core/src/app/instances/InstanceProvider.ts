/**
 * Who builds the classes that hold task, condition and provider methods. The default builds
 * them in the app's tsyringe container ({@link ContainerInstanceProvider}); a framework with
 * its own injector (NestJS) passes one that returns the instances it built, through
 * `new App({ instances })`.
 *
 * `get` is called each time one of the class's methods is about to run, so the provider
 * decides how long an instance lives: the default builds one per class and keeps it.
 * An error it throws fails that run (or that condition check), not the scheduler.
 *
 * @example
 * ```ts
 * const instances: InstanceProvider = { get: (ctor) => moduleRef.get(ctor, { strict: false }) };
 * const app = new App({ instances, tasks: [Reports] });
 * ```
 */
export interface InstanceProvider {
  /** The instance of `ctor` whose methods Apogee calls. */
  get<T extends object>(ctor: new (...args: never[]) => T): T;
}
