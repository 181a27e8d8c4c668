import type { Config } from 'jest';

// Tests run against the workspace sources (no build step): `@apogee/*` maps to `packages/*/src`,
// and `@apogee/core/internal` to core's second entry point.
const config: Config = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: false }],
  },
  moduleNameMapper: {
    '^@apogee/test-utils$': '<rootDir>/test-utils/src/index.ts',
    '^@apogee/core/internal$': '<rootDir>/packages/core/src/internal.ts',
    '^@apogee/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
  },
  testMatch: [
    '<rootDir>/packages/*/src/**/*.test.ts',
    '<rootDir>/examples/src/**/*.test.ts',
    '<rootDir>/consumer/*.test.ts',
    '<rootDir>/test-utils/src/**/*.test.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  setupFiles: ['<rootDir>/jest.setup.ts'],
  // On 2 cores jest runs every file in its own process (one worker): a handle a test leaves open
  // keeps the whole run alive. A full run on a fresh clone finished every test and then did not
  // exit (esbuild children of the jest process, not yet traced to a test); CI must end, so the
  // run ends when its results are in. Trace it with --detectOpenHandles and remove this.
  forceExit: true,
};

export default config;
