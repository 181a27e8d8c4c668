import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isModuleTypeScript } from './workerExecArgv';

describe('isModuleTypeScript', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'apogee-kind-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads .ts as Node does: an ES module under the nearest package.json with "type": "module"', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    mkdirSync(join(dir, 'src'));
    expect(isModuleTypeScript(join(dir, 'src', 'app.ts'))).toBe(true);
    expect(isModuleTypeScript(join(dir, 'src', 'app.cts'))).toBe(false);
  });

  it('takes .ts for CommonJS without a "type" and .mts for an ES module always', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x' }));
    expect(isModuleTypeScript(join(dir, 'app.ts'))).toBe(false);
    expect(isModuleTypeScript(join(dir, 'app.mts'))).toBe(true);
    expect(isModuleTypeScript(join(dir, 'app.js'))).toBe(false);
  });
});
