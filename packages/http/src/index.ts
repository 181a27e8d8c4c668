/// <reference types="node" preserve="true" />
// Declarations use Node's types: this pulls @types/node in where "types" does not list it (TypeScript 6+).
export { createControlHandler } from './createControlHandler';
export type { ControlHandler, ControlHandlerOptions } from './createControlHandler';
export type { ConnectionLimits } from './ConnectionLimits';
export type { ControlLimits } from './ControlLimits';
export { serveControl } from './serveControl';
export type { ControlOptions, ControlServer } from './serveControl';
export { toJson } from './toJson';
