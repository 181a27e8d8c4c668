import { pathToFileURL } from 'node:url';
import { relative } from 'node:path';
import { resolveModule } from './resolveModule';

describe('resolveModule', () => {
  it('takes an absolute path, a path relative to the working directory and a file URL', () => {
    expect(resolveModule(__filename)).toBe(__filename);
    expect(resolveModule(relative(process.cwd(), __filename))).toBe(__filename);
    expect(resolveModule(pathToFileURL(__filename).href)).toBe(__filename);
  });

  it('finds an extensionless path as require() would', () => {
    expect(resolveModule(__filename.replace(/\.ts$/, ''))).toBe(__filename);
  });

  it('says where it looked when there is no such file', () => {
    expect(resolveModule('./no/such/file.js')).toEqual({
      problem: expect.stringContaining('its module "./no/such/file.js" was looked for at') as string,
    });
  });
});
