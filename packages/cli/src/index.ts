/// <reference types="node" preserve="true" />
// Declarations use Node's types: this pulls @types/node in where "types" does not list it (TypeScript 6+).
export { main } from './main';
export { paramValue } from './commands/trigger';
export type { Output } from './Output';
export { CliError, EXIT } from './CliError';
export { ControlClient } from './ControlClient';
