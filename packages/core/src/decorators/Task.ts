import 'reflect-metadata';
import { injectable } from 'tsyringe';
import { Condition } from '../conditions/Condition';
import { noteDeclaredClass } from '../execution/remote/workerContext';
import { callerFile } from '../metadata/callerFile';
import {
  classOfTarget,
  writeClassTask,
  writeDeclaringFile,
  writeMethodRole,
  type TaskDeclaration,
} from '../metadata/ClassMetadata';
import type { TaskOptions } from '../metadata/TaskOptions';

/** A decorator usable on a class (runs its `run` method) or on a method. */
export type TaskDecorator = (
  target: object,
  propertyKey?: string | symbol,
  descriptor?: PropertyDescriptor,
) => void;

function declaration(
  start: Condition | string | TaskOptions | undefined,
  options: TaskOptions | undefined,
): TaskDeclaration {
  if (start === undefined || typeof start === 'string' || Condition.isCondition(start)) {
    const merged = { ...options, ...(start === undefined ? {} : { start }) };
    return { options: merged, startGivenTwice: start !== undefined && options?.start !== undefined };
  }
  return {
    options: { ...start, ...options },
    startGivenTwice: options?.start !== undefined && start.start !== undefined,
  };
}

/**
 * Marks a task: on a class, its `run(...)` method is the task and its constructor is resolved
 * by the container; on a method of any class, that method is. `start` is a condition or a
 * condition string.
 *
 * @example
 * ```ts
 * @Task('every 10 seconds')
 * class Heartbeat { run() { return 'alive'; } }
 *
 * class Jobs {
 *   @Task(daily.at('03:00'), { timeout: '1 hour' })
 *   backup() {}
 * }
 * ```
 */
export function Task(start?: Condition | string, options?: TaskOptions): TaskDecorator;
/** Marks a class or method as a task, with every setting, `start` included, in `options`. */
export function Task(options: TaskOptions): TaskDecorator;
export function Task(start?: Condition | string | TaskOptions, options?: TaskOptions): TaskDecorator {
  const decl = declaration(start, options);
  const decorator: TaskDecorator = (target, propertyKey, descriptor) => {
    const ctor = classOfTarget(target);
    // Thread and process runs load the class in a worker from the file that declares it.
    const file = callerFile(decorator);
    writeDeclaringFile(ctor, file);
    if (file !== undefined) noteDeclaredClass(file, ctor);
    if (propertyKey === undefined) {
      writeClassTask(ctor, decl);
      // Class tasks get their constructor resolved like any tsyringe service.
      injectable()(ctor as new (...args: never[]) => unknown);
    } else writeMethodRole(target, propertyKey, descriptor, { kind: 'task', declaration: decl });
  };
  return decorator;
}
