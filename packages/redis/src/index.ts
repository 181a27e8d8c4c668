export { redis } from './redis';
export type { RedisAppOptions, RedisAppParts } from './redis';
export { RedisLogError } from './RedisLogError';
