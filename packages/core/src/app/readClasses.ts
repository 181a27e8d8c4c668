// The package entry point still imports `Constructor` from here; registration lives in ./registration.
export type { Constructor } from './registration/Constructor';
