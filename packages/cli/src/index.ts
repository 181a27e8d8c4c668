export { main, paramValue } from './main';
export type { Output } from './main';
export { CliError, EXIT } from './CliError';
export { ControlClient } from './ControlClient';
