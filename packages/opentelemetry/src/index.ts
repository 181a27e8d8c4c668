export { otel, INSTRUMENTATION_SCOPE, type OtelOptions } from './otel';
export { runInContext } from './runInContext';
