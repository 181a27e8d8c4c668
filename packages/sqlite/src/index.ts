export { SqliteRunLog } from './SqliteRunLog';
export type { RetentionOptions, SqliteRunLogOptions } from './SqliteRunLog';
export { SqliteRunLogError } from './SqliteRunLogError';
export { MIGRATIONS } from './migrations';
