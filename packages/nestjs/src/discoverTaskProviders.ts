import { DuplicateTaskError, type Constructor } from '@apogee/core';
import { declaredNames } from '@apogee/core/internal';
import type { DiscoveryService } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { ProviderScopeError } from './ProviderScopeError';

/** A class with Apogee methods and the one instance Nest built for it. */
export interface TaskProvider {
  readonly ctor: Constructor;
  readonly instance: object;
}

const moduleOf = (wrapper: InstanceWrapper): string => wrapper.host?.name ?? 'an unknown module';
const tokenOf = (wrapper: InstanceWrapper): string =>
  typeof wrapper.token === 'function' ? wrapper.token.name : String(wrapper.token);

/** The class Nest builds (or built) for `wrapper`, when it is one Apogee should look at. */
function classOf(wrapper: InstanceWrapper): Constructor | undefined {
  const instance = wrapper.instance as object | null | undefined;
  if (wrapper.isDependencyTreeStatic() && !wrapper.isTransient) {
    if (instance === null || instance === undefined || typeof instance !== 'object') return undefined;
    const proto = Object.getPrototypeOf(instance) as { constructor?: unknown } | null;
    return typeof proto?.constructor === 'function' ? (proto.constructor as Constructor) : undefined;
  }
  // Scoped: no instance exists yet; a class provider's class is its metatype.
  return wrapper.inject === null || wrapper.inject === undefined
    ? ((wrapper.metatype ?? undefined) as Constructor | undefined)
    : undefined;
}

/**
 * Every provider and controller Nest built whose class has `@Task`, `@Cond` or `@Param`
 * methods, one entry per class. A request-scoped or transient one is a
 * {@link ProviderScopeError}; a class Nest built twice (two providers, or one provider in two
 * modules that do not share it) is a `DuplicateTaskError`, since its tasks would be declared
 * twice. The same instance reached through several modules or aliases is one entry.
 */
export function discoverTaskProviders(discovery: DiscoveryService): TaskProvider[] {
  const found = new Map<Constructor, Map<object, InstanceWrapper[]>>();
  for (const wrapper of [...discovery.getControllers(), ...discovery.getProviders()]) {
    if (wrapper.isAlias) continue;
    const ctor = classOf(wrapper);
    if (ctor === undefined || declaredNames(ctor) === undefined) continue;
    if (!wrapper.isDependencyTreeStatic() || wrapper.isTransient)
      throw new ProviderScopeError(
        ctor.name,
        moduleOf(wrapper),
        wrapper.isTransient ? 'transient' : 'request',
      );
    const instance = wrapper.instance as object;
    let instances = found.get(ctor);
    if (instances === undefined) found.set(ctor, (instances = new Map<object, InstanceWrapper[]>()));
    instances.set(instance, [...(instances.get(instance) ?? []), wrapper]);
  }
  const duplicates: string[] = [];
  const providers: TaskProvider[] = [];
  for (const [ctor, instances] of found) {
    const [first] = instances.keys();
    if (instances.size === 1 && first !== undefined) {
      providers.push({ ctor, instance: first });
      continue;
    }
    const where = [...instances.values()]
      .map((wrappers) => wrappers.map((w) => `provider ${tokenOf(w)} in ${moduleOf(w)}`).join(' and '))
      .join('; ');
    const names = declaredNames(ctor);
    for (const name of [...(names?.tasks ?? []), ...(names?.conds ?? []), ...(names?.params ?? [])])
      duplicates.push(
        `"${name}": declared by class ${ctor.name}, which Nest built ${String(instances.size)} times (${where}). ` +
          `Provide ${ctor.name} once, in one module that exports it, so it is one instance.`,
      );
  }
  if (duplicates.length > 0) throw new DuplicateTaskError(duplicates);
  return providers;
}
