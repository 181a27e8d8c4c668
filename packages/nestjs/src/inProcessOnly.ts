import { ApogeeError, type AppConfig } from '@apogee/core';
import { declaredNames } from '@apogee/core/internal';
import type { TaskProvider } from './discoverTaskProviders';

/**
 * Throws when a task of a Nest provider would run (by its own `execution`, else `config.execution`) in a worker thread or child process: there is
 * no Nest application there to take the instance from.
 */
export function inProcessOnly(config: AppConfig, providers: readonly TaskProvider[]): void {
  for (const { ctor } of providers) {
    for (const [name, declared] of declaredNames(ctor)?.executions ?? []) {
      const execution = declared ?? config.execution ?? 'async';
      if (execution === 'thread' || execution === 'process')
        throw new ApogeeError(
          'NEST_EXECUTION',
          `Task "${name}" of Nest provider ${ctor.name} would run with execution '${execution}', in a worker that has no Nest application to take the ${ctor.name} instance from.\n` +
            `Fix: give it execution: 'async' (or 'main'), or move the CPU-heavy part into a plain class or function task with execution: '${execution}'.`,
          { taskName: name, input: execution },
        );
    }
  }
}
