import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

// `apogee run` on the files users write, each with tasks in the main thread, a worker thread and
// a child process. The apps queue one run of each task and stop when all have succeeded.
jest.setTimeout(60_000);

/** The built binary: `pnpm test` builds the packages first. */
const BIN = resolve(__dirname, '..', 'dist', 'bin.js');

function apogeeRun(file: string): Promise<{ code: number; lines: string[]; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, 'run', join(__dirname, 'fixtures', file), '--port', '0'],
      { cwd: resolve(__dirname, '..'), timeout: 50_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        done({
          code,
          lines: stdout
            .trim()
            .split('\n')
            .filter((l) => !l.startsWith('apogee:')),
          stderr,
        });
      },
    );
  });
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "pnpm build" first (pnpm test does).`);
});

describe('apogee run', () => {
  it('injects constructor parameters of a TypeScript class in every execution mode', async () => {
    const { code, lines, stderr } = await apogeeRun('injectedApp.ts');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines.sort()).toEqual(['main 42', 'process 42 true', 'thread 42 true']);
  });

  it('injects constructor parameters in an ES module TypeScript app ("type": "module", nodenext imports)', async () => {
    const { code, lines, stderr } = await apogeeRun('esmTypeScript/app.ts');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines.sort()).toEqual(['main 42', 'process 42 true', 'thread 42 true']);
  });

  it('runs thread and process tasks of an ES module with top-level await', async () => {
    const { code, lines, stderr } = await apogeeRun('topLevelAwaitApp.mjs');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines.sort()).toEqual(['process 21', 'thread 14']);
  });
});

describe('apogee run, failing tasks', () => {
  it('prints each failed run as it happens: task, run id and error', async () => {
    const { code, stderr } = await apogeeRun('failingApp.ts');
    expect(code).toBe(0);
    expect(stderr).toMatch(/^apogee: task broken failed \(run \S+\): no database at db\.local$/m);
  });
});
