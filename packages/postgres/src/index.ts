export { postgres } from './postgres';
export type { PostgresAppOptions, PostgresAppParts } from './postgres';
export { PostgresLogError } from './PostgresLogError';
export { PostgresSchemaError } from './PostgresSchemaError';
