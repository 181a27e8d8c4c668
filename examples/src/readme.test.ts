import * as core from '@apogee/core';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { setImmediate as realSetImmediate } from 'node:timers';
import { runInThisContext } from 'node:vm';
import * as ts from 'typescript';
import { useFakeClock } from '@apogee/test-utils';

/**
 * Keeps the README honest: every TypeScript block typechecks against the sources, a block that
 * names a file (`// examples/src/x.ts` on its first line) is that file, and every other block
 * runs, with its apps driven for a minute of fake time and then shut down, and every request it
 * sends answered with a success.
 */
const root = resolve(__dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => ({ index: i, code: m[1] ?? '' }));
const quotedFile = (code: string): string | undefined => /^\/\/ (examples\/\S+\.ts)\n/.exec(code)?.[1];
const runnable = blocks.filter((b) => quotedFile(b.code) === undefined);

describe('README', () => {
  it('has TypeScript blocks', () => {
    expect(blocks.length).toBeGreaterThan(5);
  });

  it('starts each block that runs no app with a first line that says so', () => {
    const silent = runnable.filter((b) => !b.code.includes('.run(') && !/^\/\/ A fragment: /.test(b.code));
    expect(silent.map((b) => b.code.split('\n')[0])).toEqual([]);
  });

  it('typechecks every TypeScript block', () => {
    const dir = join(root, 'examples', '.readme');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files = runnable.map((b) => {
      const file = join(dir, `block-${b.index}.ts`);
      writeFileSync(file, b.code);
      return file;
    });
    const config = ts.readConfigFile(join(root, 'tsconfig.json'), (p) => ts.sys.readFile(p));
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
    // Top-level await, as users write it in a module.
    const options = {
      ...parsed.options,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      noEmit: true,
    };
    const program = ts.createProgram(files, options);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file !== undefined && files.includes(d.file.fileName))
      .map(
        (d) =>
          `${d.file?.fileName.split('/').pop() ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
      );
    rmSync(dir, { recursive: true, force: true });
    expect(problems).toEqual([]);
  }, 60_000);

  it.each(
    blocks.filter((b) => quotedFile(b.code) !== undefined).map((b) => [quotedFile(b.code), b.code] as const),
  )('quotes %s as it is', (file, code) => {
    const body = code.replace(/^\/\/ .*\n/, '');
    expect(body).toBe(readFileSync(join(root, file ?? ''), 'utf8'));
  });

  /** Advances fake time by a second, then lets the real event loop turn once (I/O callbacks). */
  async function advanceAndTurn(): Promise<void> {
    await jest.advanceTimersByTimeAsync(1000);
    await new Promise<void>((resolve) => {
      realSetImmediate(resolve);
    });
  }

  describe('runs each block', () => {
    useFakeClock(new Date('2026-01-05T07:00:00Z'));

    it.each(runnable.map((b) => [b.index, b.code] as const))('block %i', async (_index, code) => {
      const apps: core.App[] = [];
      class TrackedApp extends core.App {
        constructor(options?: core.AppOptions) {
          super(options);
          apps.push(this);
        }
      }
      const lines = code.split('\n');
      // Imports stay at the top; the rest runs in an async function, for top-level await.
      let split = 0;
      let inImport = false;
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i] ?? '';
        if (inImport || /^import\b/.test(line)) {
          inImport = !/;\s*$/.test(line);
          split = i + 1;
        } else if (line.trim() !== '' && !line.startsWith('//')) break;
      }
      const source = `${lines.slice(0, split).join('\n')}\nexports.done = (async () => {\n${lines.slice(split).join('\n')}\n})();\n`;
      const js = ts.transpileModule(source, {
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
        },
      }).outputText;
      const exports: { done?: Promise<void> } = {};
      const load = createRequire(__filename);
      const requireFor = (id: string): unknown =>
        id === '@apogee/core' ? { ...core, App: TrackedApp } : load(id);
      // A block's requests must succeed: a snippet whose request is refused shows nothing that works.
      const refused: string[] = [];
      const checkedFetch = async (...args: Parameters<typeof fetch>): Promise<Response> => {
        const response = await fetch(...args);
        if (!response.ok) refused.push(`${String(response.status)} from ${response.url}`);
        return response;
      };
      // What a block prints is for README readers; here it would only clutter the test output.
      const quiet = { ...console, log: () => undefined, info: () => undefined };
      const run = runInThisContext(`(function (require, exports, fetch, console) {\n${js}\n})`) as (
        r: typeof requireFor,
        e: typeof exports,
        f: typeof fetch,
        c: typeof console,
      ) => void;
      run(requireFor, exports, checkedFetch, quiet);
      let finished = false;
      const done = (exports.done ?? Promise.resolve()).then(() => {
        finished = true;
      });
      // A second at a time, with a turn of the real event loop after each: fake time alone never
      // lets a block's sockets (a request to its control API) make progress.
      for (let i = 0; i < 60 && !finished; i++) await advanceAndTurn();
      const stopping = Promise.all(apps.map((app) => app.shutdown()));
      for (let i = 0; i < 100 && !finished; i++) await advanceAndTurn();
      await stopping;
      await done;
      expect(finished).toBe(true);
      expect(refused).toEqual([]);
    });
  });
});
