import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { InstantiationError } from '../../errors/InstantiationError';
import type { InstanceProvider } from './InstanceProvider';

/**
 * The default {@link InstanceProvider}: builds each class once, on first use, through a
 * tsyringe container (so constructor services are injected), and keeps the instance for the
 * app's life. A failure to build is an `InstantiationError` with the container's error as
 * `cause`; nothing is kept then, so the next use tries again.
 *
 * @example
 * ```ts
 * const instances = new ContainerInstanceProvider(container.createChildContainer());
 * const jobs = instances.get(Jobs); // the same object on every call
 * ```
 */
export class ContainerInstanceProvider implements InstanceProvider {
  private readonly built = new Map<abstract new (...args: never[]) => object, object>();

  constructor(private readonly container: DependencyContainer) {}

  /** The instance of `ctor`, built through the container on first use and the same on every later call. */
  get<T extends object>(ctor: new (...args: never[]) => T): T {
    let instance = this.built.get(ctor) as T | undefined;
    if (instance === undefined) {
      try {
        instance = this.container.resolve(ctor as unknown as InjectionToken<T>);
      } catch (error) {
        throw new InstantiationError(ctor.name, error);
      }
      this.built.set(ctor, instance);
    }
    return instance;
  }
}
