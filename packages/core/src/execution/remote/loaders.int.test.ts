import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

// A scheduler started outside jest, the two ways users start one. Its workers must find the
// task's module and load it with whatever the parent process runs under.
const run = promisify(execFile);
const root = resolve(__dirname, '../../../../..');

describe('loading task modules in workers', () => {
  it('compiled JavaScript on plain node (the built package)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apogee-js-'));
    try {
      const file = join(dir, 'app.js');
      const core = JSON.stringify(join(root, 'packages/core/dist/index.js'));
      writeFileSync(
        file,
        `const { App, Arg } = require(${core});
function triple(n) { return n * 3; }
const app = new App();
app.task({ name: 'inThread', execution: 'thread', module: __filename, inject: [Arg('n', 5)] }, (n) => n * 2);
app.task({ name: 'inProcess', execution: 'process', module: __filename, inject: [Arg('n', 5)] }, triple);
if (require.main === module) {
  let left = 2;
  app.events.subscribe((e) => {
    if (e.type === 'taskSucceeded') console.log(e.taskName, e.returnValue);
    if (e.type === 'taskFailed') console.log(e.taskName, 'failed', String(e.error));
    if ((e.type === 'taskSucceeded' || e.type === 'taskFailed') && --left === 0) void app.shutdown();
  });
  app.session.get('inThread').run();
  app.session.get('inProcess').run();
  void app.run({ handleSignals: false });
}
`,
      );
      const { stdout } = await run(process.execPath, [file], { timeout: 20_000 });
      expect(stdout.trim().split('\n').sort()).toEqual(['inProcess 15', 'inThread 10']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('TypeScript sources under node --import tsx', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'fixtures', 'standaloneApp.ts')],
      { cwd: root, timeout: 30_000 },
    );
    expect(stdout.trim().split('\n').sort()).toEqual(['process 21 true', 'thread 14 true']);
  }, 40_000);
});
