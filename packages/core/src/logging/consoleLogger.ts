import type { ApogeeLogger } from './ApogeeLogger';
import { terminalSafe } from './terminalSafe';

/**
 * The default `config.logger`: the console, message only. Apogee's messages stand alone (task,
 * run id, error and stack are in the text); the fields of the second argument are for JSON
 * loggers, and printed here they would repeat the message. Terminal controls in a message (a
 * task's error text is anyone's data) are printed escaped.
 */
export const consoleLogger: ApogeeLogger = {
  debug: (message) => {
    console.debug(terminalSafe(message));
  },
  info: (message) => {
    console.info(terminalSafe(message));
  },
  warn: (message) => {
    console.warn(terminalSafe(message));
  },
  error: (message) => {
    console.error(terminalSafe(message));
  },
};
