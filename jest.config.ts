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
};

export default config;
