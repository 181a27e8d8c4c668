import { execFile } from 'node:child_process';
import { join } from 'node:path';

// A real process: what is at stake is whether Node ends it.
const root = join(__dirname, '..', '..', '..', '..');
const fixture = join(__dirname, 'fixtures', 'strayErrors.ts');

function runFixture(
  mode: 'report' | 'exit',
  ...more: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', fixture, mode, ...more],
      { cwd: root, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? null), stdout, stderr });
      },
    );
  });
}

describe('errors that escape every task while app.run() runs', () => {
  it("are reported as uncaughtError events and the scheduler keeps running ('report', the default)", async () => {
    const { code, stdout } = await runFixture('report');
    const lines = stdout.trim().split('\n');
    expect(code).toBe(0);
    expect(lines.filter((l) => l.startsWith('uncaughtError'))).toEqual([
      'uncaughtError uncaughtException stray timer',
      'uncaughtError unhandledRejection detached rejection',
    ]);
    expect(lines.filter((l) => l.startsWith('beat'))).toHaveLength(8);
    expect(lines.at(-1)).toBe('stopped');
  }, 40_000);

  it('are printed to stderr when nobody listens to app.events', async () => {
    const { code, stdout, stderr } = await runFixture('report', 'quiet');
    expect(code).toBe(0);
    expect(stderr).toMatch(/Apogee: uncaughtException, the scheduler keeps running:.*stray timer/s);
    expect(stderr).toMatch(/Apogee: unhandledRejection, the scheduler keeps running:.*detached rejection/s);
    expect(stdout.trim().split('\n').at(-1)).toBe('stopped');
  }, 40_000);

  it("end the process as Node does by default with uncaughtErrors: 'exit'", async () => {
    const { code, stdout, stderr } = await runFixture('exit');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/stray timer/);
    expect(stdout).not.toMatch(/uncaughtError|stopped|beat 8/);
  }, 40_000);
});
