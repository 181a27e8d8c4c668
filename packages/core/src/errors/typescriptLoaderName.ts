// Set by the TypeScript require hook in execution/remote/typescriptHook.ts when it registers.
const OWN_HOOK = Symbol.for('@apogee/core/typescriptHook');

const KNOWN: readonly (readonly [RegExp, string])[] = [
  [/tsx/, 'tsx (esbuild, which emits no decorator metadata)'],
  [/esbuild/, 'esbuild (which emits no decorator metadata)'],
  [/strip-types|transform-types/, "Node's type stripping (which emits no decorator metadata)"],
  [/ts-node/, 'ts-node'],
  [/@swc-node/, '@swc-node/register'],
];

/**
 * Which TypeScript loader this process runs under, as far as it can tell: errors about missing
 * decorator metadata name it, since the loader decides whether `design:paramtypes` exists.
 */
export function typescriptLoaderName(): string {
  if ((globalThis as { [OWN_HOOK]?: unknown })[OWN_HOOK] === true)
    return "Apogee's TypeScript hook (SWC, with decorator metadata)";
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  for (const [pattern, name] of KNOWN) if (pattern.test(flags)) return name;
  if (process.env.JEST_WORKER_ID !== undefined) return "the test runner's transformer";
  return 'the compiler that produced this JavaScript';
}
