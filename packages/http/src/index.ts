export { createControlHandler } from './createControlHandler';
export type { ControlHandler, ControlHandlerOptions } from './createControlHandler';
export type { ConnectionLimits } from './ConnectionLimits';
export type { ControlLimits } from './ControlLimits';
export { serveControl } from './serveControl';
export type { ControlOptions, ControlServer } from './serveControl';
export { toJson } from './toJson';
