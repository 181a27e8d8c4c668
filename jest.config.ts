import type { Config } from 'jest';

// Tests run against the workspace sources (no build step): `@apogee/*` maps to `packages/*/src`,
// and `@apogee/core/internal` to core's second entry point.
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
  moduleNameMapper: {
    '^@apogee/test-utils$': '<rootDir>/test-utils/src/index.ts',
    '^@apogee/core/internal$': '<rootDir>/packages/core/src/internal.ts',
    '^@apogee/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
  },
  setupFiles: ['<rootDir>/jest.setup.ts'],
} satisfies Config;

/** Where tests live, for every project; each project picks its files by suffix. */
const roots = ['packages/*/src/**/', 'examples/src/**/', 'consumer/', 'test-utils/src/**/'];
const matching = (suffix: string): string[] => roots.map((root) => `<rootDir>/${root}*${suffix}`);
const ignored = ['/node_modules/', '/dist/'];

// `npx jest --selectProjects unit` runs the tests that need no server, browser or child process
// of their own; `pnpm test` runs all three projects.
const config: Config = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: matching('.test.ts'),
      testPathIgnorePatterns: [...ignored, '\\.int\\.test\\.ts$', '\\.browser\\.test\\.ts$'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: matching('.int.test.ts'),
      testPathIgnorePatterns: ignored,
    },
    {
      ...shared,
      displayName: 'browser',
      testMatch: matching('.browser.test.ts'),
      testPathIgnorePatterns: ignored,
    },
  ],
  // On 2 cores jest runs every file in its own process (one worker): a handle a test leaves open
  // keeps the whole run alive. A full run on a fresh clone finished every test and then did not
  // exit (esbuild children of the jest process, not yet traced to a test); CI must end, so the
  // run ends when its results are in. Trace it with --detectOpenHandles and remove this.
  forceExit: true,
};

export default config;
