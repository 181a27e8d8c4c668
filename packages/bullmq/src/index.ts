/// <reference types="node" preserve="true" />
// Declarations use Node's types: this pulls @types/node in where "types" does not list it (TypeScript 6+).
/**
 * `@apogee/bullmq`: execution `'queue'` for Apogee on BullMQ. The leader decides when a run
 * happens; every instance's worker may execute it.
 *
 * @packageDocumentation
 */
export { bullmq } from './bullmq';
export type { BullmqOptions } from './BullmqOptions';
