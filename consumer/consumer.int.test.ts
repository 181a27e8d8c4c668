import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

// A user's project, as close as this machine allows: every package packed with `pnpm pack`,
// the tarballs installed with npm into a fresh project with its own tsconfig, compiled with plain
// tsc and run with node. Third-party packages are linked from the workspace's store as `file:`
// dependencies, so the install is offline and better-sqlite3 keeps its native build; npm still
// resolves every range the tarballs declare against them.
jest.setTimeout(300_000);

const exec = promisify(execFile);
const ROOT = resolve(__dirname, '..');
const PACKAGES = ['core', 'http', 'sqlite', 'cli', 'nestjs'];
// What a user's project installs besides Apogee: peers, Apogee's own dependencies, the compiler.
const THIRD_PARTY: readonly (readonly [string, string])[] = [
  ['tsyringe', 'core'],
  ['rxjs', 'core'],
  ['reflect-metadata', 'core'],
  ['croner', 'core'],
  ['uplot', 'http'],
  ['better-sqlite3', 'sqlite'],
  ['@types/better-sqlite3', 'sqlite'],
  ['@swc/core', 'cli'],
  ['@types/node', 'core'],
];
/**
 * The TypeScript versions the declarations and `apogee run` are tested with: the lowest supported
 * and the newest (7, which has no JavaScript compiler API and lists no `@types` by default).
 * Installed in the workspace under aliases, linked into each project as `typescript`.
 */
const TYPESCRIPTS = { lowest: 'typescript-lowest', newest: 'typescript-newest' } as const;
type Version = keyof typeof TYPESCRIPTS;
const KINDS = ['cjs', 'esm'] as const;
type Kind = (typeof KINDS)[number] | 'nest';
/** What the NestJS 12 project installs besides the tarballs: Nest itself, from consumer/package.json. */
const NEST = ['@nestjs/common', '@nestjs/core', '@nestjs/platform-express'];

let work: string;
const projects = new Map<string, string>();

/** The real directory of `name` as installed for workspace package `from` (or the consumer's own). */
function packageDir(name: string, from: string): string {
  const manifest =
    from === 'consumer' ? join(__dirname, 'package.json') : join(ROOT, 'packages', from, 'package.json');
  const require = createRequire(manifest);
  const paths = require.resolve.paths(name) ?? [];
  for (const base of paths) {
    try {
      const dir = join(base, name);
      readdirSync(dir);
      return realpathSync(dir);
    } catch {
      // Not in this node_modules.
    }
  }
  throw new Error(`${name} is not installed for packages/${from}: run pnpm install.`);
}

async function run(cwd: string, command: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await exec(command, args, {
      cwd,
      timeout: 60_000,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`, {
      cause: error,
    });
  }
}

async function project(kind: Kind, version: Version, tarballs: Record<string, string>): Promise<string> {
  const dir = join(work, `${kind}-${version}`);
  cpSync(join(__dirname, 'projects', kind), dir, { recursive: true });
  const dependencies: Record<string, string> = {};
  // @apogee/nestjs only where Nest is: npm would otherwise look for its peers.
  for (const [name, file] of Object.entries(tarballs))
    if (kind === 'nest' || name !== '@apogee/nestjs') dependencies[name] = `file:${file}`;
  for (const [name, from] of THIRD_PARTY) dependencies[name] = `file:${packageDir(name, from)}`;
  if (kind === 'nest') for (const name of NEST) dependencies[name] = `file:${packageDir(name, 'consumer')}`;
  dependencies.typescript = `file:${realpathSync(join(__dirname, 'node_modules', TYPESCRIPTS[version]))}`;
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: `consumer-${kind}-${version}`,
      private: true,
      ...(kind === 'cjs' ? {} : { type: 'module' }),
      dependencies,
    }),
  );
  // Scripts stay off: Apogee's packages have none, and better-sqlite3 is already built.
  await run(dir, 'npm', [
    'install',
    '--offline',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    '--cache',
    join(work, 'npm-cache'),
  ]);
  await run(dir, process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
  return dir;
}

const lines = (stdout: string): string[] =>
  stdout
    .trim()
    .split('\n')
    .filter((line) => !line.startsWith('apogee:'))
    .sort();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'apogee-consumer-'));
  const packs = join(work, 'packs');
  mkdirSync(packs);
  const tarballs: Record<string, string> = {};
  for (const name of PACKAGES) {
    const before = new Set(readdirSync(packs));
    await run(join(ROOT, 'packages', name), 'pnpm', ['pack', '--pack-destination', packs]);
    const file = readdirSync(packs).find((f) => !before.has(f));
    if (file === undefined) throw new Error(`pnpm pack wrote no tarball for @apogee/${name}`);
    tarballs[`@apogee/${name}`] = join(packs, file);
  }
  // Two at a time: npm and tsc are heavy on a small machine.
  for (const version of Object.keys(TYPESCRIPTS) as Version[]) {
    const [cjs, esm] = await Promise.all(KINDS.map((kind) => project(kind, version, tarballs)));
    projects.set(`cjs-${version}`, cjs as string).set(`esm-${version}`, esm as string);
  }
  projects.set('nest', await project('nest', 'newest', tarballs));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

const apogee = (dir: string): string => join(dir, 'node_modules', '.bin', 'apogee');

describe.each(Object.keys(TYPESCRIPTS) as Version[])('with the %s supported TypeScript', (version) => {
  describe('a CommonJS project with the README tsconfig', () => {
    const dir = (): string => projects.get(`cjs-${version}`) as string;

    it('keeps runs in SQLite, takes a run through the control API and injects constructors in a thread', async () => {
      const stdout = await run(dir(), process.execPath, ['dist/main.js', join(dir(), 'runs.db')]);
      expect(lines(stdout)).toEqual([
        'POST /tasks/report/run: 202',
        'dashboard: 200 text/html; charset=utf-8, chart 200',
        'saved report: hello ada',
        'saved square: hello thread 49',
      ]);
    });

    it('runs its TypeScript source with the installed apogee command', async () => {
      const stdout = await run(dir(), apogee(dir()), ['run', 'src/app.ts', '--port', '0']);
      expect(lines(stdout)).toEqual(['report: hello ada', 'square: hello thread 49']);
    });
  });

  describe('an ES module project with top-level await and no "types" in its tsconfig', () => {
    const dir = (): string => projects.get(`esm-${version}`) as string;
    const expected = ['inMain: main 12', 'inProcess: process 18', 'inThread: thread 15'];

    it('runs with node, awaiting app.run() at the top level', async () => {
      const stdout = await run(dir(), process.execPath, ['dist/main.js']);
      expect(lines(stdout)).toEqual([...expected, 'stopped']);
    });

    it('runs its compiled app with apogee run dist/app.js', async () => {
      const stdout = await run(dir(), apogee(dir()), ['run', 'dist/app.js', '--port', '0']);
      expect(lines(stdout)).toEqual(expected);
    });

    it('runs its TypeScript source with apogee run src/app.ts, constructors injected in every mode', async () => {
      const stdout = await run(dir(), apogee(dir()), ['run', 'src/app.ts', '--port', '0']);
      expect(lines(stdout)).toEqual(expected);
    });
  });
});

describe('a NestJS 12 application (ES modules, compiled, run with node)', () => {
  it("runs a provider's task with Nest's injection, and answers under /apogee on Nest's port", async () => {
    const stdout = await run(projects.get('nest') as string, process.execPath, ['dist/main.js']);
    expect(lines(stdout)).toEqual([
      'GET /health: {"ok":true}',
      'POST /apogee/tasks/report/run: 202',
      'closed',
      'dashboard: 200 text/html; charset=utf-8',
      'report: hello ada',
    ]);
  });
});

describe('the tarballs', () => {
  it.each(PACKAGES)(
    '@apogee/%s ships its README and LICENSE, no fixtures or tests, and source maps with their sources',
    async (name) => {
      const packs = join(work, 'packs');
      const file = join(packs, readdirSync(packs).find((f) => f.startsWith(`apogee-${name}-`)) as string);
      const listing = (await run(work, 'tar', ['tzf', file])).trim().split('\n');
      expect(listing).toEqual(expect.arrayContaining(['package/README.md', 'package/LICENSE']));
      expect(listing.filter((entry) => /fixtures|\.test\.|\.test-d\./.test(entry))).toEqual([]);
      const maps = listing.filter((entry) => entry.endsWith('.map'));
      expect(maps.length).toBeGreaterThan(0);
      const map = JSON.parse(await run(work, 'tar', ['xzf', file, '-O', maps[0] as string])) as {
        sources: string[];
        sourcesContent?: string[];
      };
      expect(map.sourcesContent?.length).toBe(map.sources.length);
    },
  );
});
