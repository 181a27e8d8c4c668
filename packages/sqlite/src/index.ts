export { SqliteRunLog } from './SqliteRunLog';
export type { RetentionOptions, SqliteRunLogOptions } from './SqliteRunLog';
export { SqliteRunLogError } from './SqliteRunLogError';
export { SqliteRunLogInUseError } from './SqliteRunLogInUseError';
export { MIGRATIONS } from './migrations';
