/// <reference types="node" preserve="true" />
// Declarations use Node's types: this pulls @types/node in where "types" does not list it (TypeScript 6+).
export { SqliteRunLog } from './SqliteRunLog';
export type { RetentionOptions, SqliteRunLogOptions } from './SqliteRunLog';
export { SqliteRunLogError } from './SqliteRunLogError';
export { SqliteRunLogInUseError } from './SqliteRunLogInUseError';
export { MIGRATIONS } from './migrations';
