/// <reference types="node" preserve="true" />
// Declarations use Node's types: this pulls @types/node in where "types" does not list it (TypeScript 6+).
export { redis } from './redis';
export type { RedisAppOptions, RedisAppParts } from './redis';
export { RedisLogError } from './RedisLogError';
