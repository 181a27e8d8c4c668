export { serveControl } from './serveControl';
export type { ControlOptions, ControlServer } from './serveControl';
export { toJson } from './toJson';
