import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/*
 * A real process (fixtures/controlledApp.cjs, on the built packages): `serveControl(app)` then
 * `await app.run()`, sent SIGTERM. The README says the app runs "until Ctrl-C or SIGTERM", so the
 * control server must not keep the process alive after its app shut down.
 */
describe('serveControl with a real process', () => {
  it('closes itself when its app shuts down, so SIGTERM ends the process', async () => {
    const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'controlledApp.cjs')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const lines: string[] = [];
    const lineReader = createInterface({ input: child.stdout });
    const url = await new Promise<string>((resolve, reject) => {
      lineReader.on('line', (line) => {
        lines.push(line);
        if (line.startsWith('{')) resolve((JSON.parse(line) as { url: string }).url);
      });
      void exited.then(() => {
        reject(new Error(`the app exited before serving: ${stderr}`));
      });
    });
    try {
      expect((await fetch(`${url}/tasks`)).status).toBe(200);
      child.kill('SIGTERM');
      // No timer here: a process that stays alive fails the test by jest's timeout.
      const [code, signal] = await exited;
      expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
      expect(lines).toContain('run resolved');
      await expect(fetch(`${url}/tasks`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
