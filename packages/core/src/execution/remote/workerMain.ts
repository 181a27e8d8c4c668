/**
 * The entry point of every worker thread and child process that runs tasks. It loads a task's
 * module on first use, builds its class through a container, fills in what only the worker
 * can supply (the run's `AbortSignal`, injected services), calls it with the arguments the
 * scheduler resolved, and reports how the run ended.
 */
import 'reflect-metadata';
import { parentPort } from 'node:worker_threads';
import { container as rootContainer, type DependencyContainer, type InjectionToken } from 'tsyringe';
import { errorMessage } from '../../errors/errorMessage';
import { InstantiationError } from '../../errors/InstantiationError';
import { WorkerTaskNotFoundError } from '../../errors/WorkerTaskNotFoundError';
import type { OutputLine } from '../../log/OutputLine';
import { methodSignature } from '../../metadata/methodSignature';
import type { RunContext } from '../../params/RunContext';
import type { Signature } from '../../params/Signature';
import { checkProgress } from '../checkProgress';
import { loadModule as load } from '../loadModule';
import { runInCarriedContext, type CarriedContext } from '../instrumentation/runInCarriedContext';
import { fillRun } from '../signature/fillRun';
import { captureConsole } from './captureConsole';
import { findUncloneable } from './findUncloneable';
import type { FromWorker, RunReport, TaskTarget, ToWorker } from './protocol';
import { fromWireError, toWireError } from './wireError';
import { enterWorkerContext } from './workerContext';

// Before any task module loads: decorators and apps in those modules look for it.
const registry = enterWorkerContext();

type Constructor = abstract new (...args: never[]) => unknown;

/** A task's code, ready to call, with what it needs to fill in its run here. */
interface Callable {
  readonly call: (args: unknown[]) => unknown;
  /** Rebuilt here from the task's metadata; `undefined` for a function found by its export name only. */
  readonly signature: Signature | undefined;
  /** Where its `@Inject(token)` services come from: the container of the app that declared it. */
  readonly container: DependencyContainer;
}

const instances = new Map<Constructor, object>();
const controllers = new Map<string, AbortController>();

function findClass(target: TaskTarget, exports: Record<string, unknown>): Constructor {
  const name = target.className ?? '';
  const declared = registry.classes.get(target.module)?.get(name);
  if (declared !== undefined && declared.length > 0) {
    if (declared.length > 1)
      throw new WorkerTaskNotFoundError(
        target.taskName,
        `${target.module} declares ${String(declared.length)} classes named ${name}, and a worker cannot tell which one holds the task`,
        'rename one of them',
      );
    return declared[0] as Constructor;
  }
  const exported = exports[name];
  if (typeof exported === 'function') return exported as Constructor;
  // The decorator may have recorded the file under another spelling (a symlink, a file URL).
  const elsewhere = [...registry.classes.values()].flatMap((byName) => byName.get(name) ?? []);
  if (elsewhere.length === 1) return elsewhere[0] as Constructor;
  throw new WorkerTaskNotFoundError(
    target.taskName,
    `loading ${target.module} in a worker did not declare class ${name}`,
    'declare the class in that module, or give its real module with @Task({ module })',
  );
}

async function resolveTarget(target: TaskTarget): Promise<Callable> {
  const exports = await load(target.module);
  if (target.className !== undefined && target.member !== undefined) {
    const ctor = findClass(target, exports);
    const container = registry.containers.get(ctor) ?? rootContainer;
    let instance = instances.get(ctor);
    if (instance === undefined) {
      try {
        instance = container.resolve(ctor as unknown as InjectionToken<object>);
      } catch (error) {
        throw new InstantiationError(ctor.name, error);
      }
      instances.set(ctor, instance);
    }
    const method = (instance as Record<string, unknown>)[target.member];
    if (typeof method !== 'function')
      throw new WorkerTaskNotFoundError(
        target.taskName,
        `class ${ctor.name} in the worker has no method ${target.member}`,
        `declare ${target.member}() on class ${ctor.name} in ${target.module}`,
      );
    const bound = instance;
    return {
      call: (args) => (method as (...a: unknown[]) => unknown).apply(bound, args),
      // The same metadata registration read in the scheduler: the decorators ran again here.
      signature: methodSignature(ctor, target.member),
      container,
    };
  }
  const registered = registry.functions.get(target.taskName);
  if (registered !== undefined) {
    return {
      call: (args) => (registered.fn as (...a: unknown[]) => unknown)(...args),
      signature: registered.signature,
      container: registered.container,
    };
  }
  const exported = target.exportName === undefined ? undefined : exports[target.exportName];
  if (typeof exported === 'function') {
    return {
      call: (args) => (exported as (...a: unknown[]) => unknown)(...args),
      signature: undefined,
      container: rootContainer,
    };
  }
  throw new WorkerTaskNotFoundError(
    target.taskName,
    `loading ${target.module} in a worker neither registered the task with app.task(...) ` +
      `nor exported a function${target.exportName === undefined ? '' : ` named ${target.exportName}`}`,
    "export the task's function under its own name, or point module at the file that calls app.task(...)",
  );
}

const isInaction = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'TaskInaction';

/**
 * The run as its arguments made here see it: its own signal (aborted by the scheduler's `abort`
 * message), and progress and output sent back while it is running. Progress is checked here,
 * where the task can catch the error.
 */
function runContext(
  runId: string,
  taskName: string,
  controller: AbortController,
  container: DependencyContainer,
  send: (message: FromWorker) => void,
): RunContext {
  return {
    taskName,
    signal: controller.signal,
    container,
    report: (fraction, text) => {
      const progress = checkProgress(taskName, fraction, text);
      if (controllers.has(runId)) send({ type: 'progress', runId, ...progress });
    },
    write: (line: OutputLine) => {
      if (controllers.has(runId)) send({ type: 'output', runId, line });
    },
  };
}

/** The run's trace context and the module that enters it, when the scheduler sent them. */
const carried = (message: Extract<ToWorker, { type: 'run' }>): CarriedContext | undefined =>
  message.carrier === undefined || message.contextModule === undefined
    ? undefined
    : { module: message.contextModule, carrier: message.carrier };

// Written while the run is current, so the scheduler records it as the run's output.
const warn = (message: string): void => {
  console.warn(message);
};

async function run(
  message: Extract<ToWorker, { type: 'run' }>,
  send: (message: FromWorker) => void,
): Promise<RunReport> {
  const { runId, target } = message;
  const controller = new AbortController();
  controllers.set(runId, controller);
  try {
    const callable = await resolveTarget(target);
    const context = runContext(runId, target.taskName, controller, callable.container, send);
    const args = fillRun(target.taskName, callable.signature, message, context);
    const returnValue: unknown = await runInCarriedContext(carried(message), load, warn, () =>
      callable.call(args),
    );
    const bad = findUncloneable(returnValue, 'returnValue');
    if (bad !== undefined) return { type: 'uncloneable', runId, path: bad.path, problem: bad.problem };
    return { type: 'success', runId, returnValue };
  } catch (error) {
    return { type: isInaction(error) ? 'inaction' : 'fail', runId, error: toWireError(error) };
  } finally {
    controllers.delete(runId);
  }
}

function serve(send: (message: FromWorker) => void): (message: ToWorker) => void {
  const reply = (result: RunReport): void => {
    try {
      send(result);
    } catch (error) {
      // findUncloneable missed something (a Proxy, a host object): report it rather than hang.
      const problem = `not cloneable (${errorMessage(error)})`;
      send({ type: 'uncloneable', runId: result.runId, path: 'returnValue', problem });
    }
  };
  return (message) => {
    if (message.type === 'abort') controllers.get(message.runId)?.abort(fromWireError(message.reason));
    else
      void run(message, send).then((result) => {
        reply(result);
      });
  };
}

/** The run executing in this worker (it runs one at a time), whose output its console writes are. */
const currentRun = (): string | undefined => controllers.keys().next().value;

if (parentPort !== null) {
  const port = parentPort;
  const send = (m: FromWorker): void => {
    port.postMessage(m);
  };
  captureConsole(currentRun, (runId, line) => {
    send({ type: 'output', runId, line });
  });
  port.on('message', serve(send));
} else if (process.send !== undefined) {
  const send = (m: FromWorker): void => {
    process.send?.(m);
  };
  captureConsole(currentRun, (runId, line) => {
    send({ type: 'output', runId, line });
  });
  process.on('message', serve(send));
  // A worker thread's uncaught error reaches the scheduler with its exit; a child's would only
  // reach stderr. Report it first, then die as Node would have. The scheduler records it (the
  // run's WorkerCrashError carries it), so stderr gets it only when the report cannot be sent,
  // as a thread's would not be printed either.
  process.on('uncaughtException', (error) => {
    const exit = (): never => process.exit(1);
    const unreported = (): never => {
      console.error(error);
      return exit();
    };
    try {
      process.send?.(
        { type: 'crash', error: toWireError(error) } satisfies FromWorker,
        undefined,
        undefined,
        (sendError: Error | null) => (sendError === null ? exit() : unreported()),
      );
    } catch {
      unreported();
    }
  });
  // The scheduler is gone: nothing will ever ask this child for anything again.
  process.on('disconnect', () => process.exit(0));
}
