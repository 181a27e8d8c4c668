/// <reference types="node" preserve="true" />
// Declarations use Node's types: this pulls @types/node in where "types" does not list it (TypeScript 6+).
export { main, paramValue } from './main';
export type { Output } from './main';
export { CliError, EXIT } from './CliError';
export { ControlClient } from './ControlClient';
