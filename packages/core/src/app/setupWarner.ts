import type { AppLog } from '../logging/AppLog';
import type { AppConfig, ApogeeWarning } from './AppConfig';

/** Where a warning about the app's setup goes: `config.onWarning`, else a line through the logger. */
export function setupWarner(config: AppConfig, log: AppLog): (warning: ApogeeWarning) => void {
  return (warning) => {
    if (config.onWarning !== undefined) config.onWarning(warning);
    else log.warn({ code: warning.code, cause: warning.taskName, message: () => warning.message });
  };
}
