/**
 * Preloaded with `node --require` into thread and process workers (and usable by anyone the
 * same way): installs the TypeScript `require` hook that emits decorator metadata.
 */
import { registerTypeScriptHook } from './typescriptHook';

registerTypeScriptHook();
