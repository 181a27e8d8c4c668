import type { ApogeeLogger } from './ApogeeLogger';

/**
 * The default `config.logger`: the console, message only. Apogee's messages stand alone (task,
 * run id, error and stack are in the text); the fields of the second argument are for JSON
 * loggers, and printed here they would repeat the message.
 */
export const consoleLogger: ApogeeLogger = {
  debug: (message) => {
    console.debug(message);
  },
  info: (message) => {
    console.info(message);
  },
  warn: (message) => {
    console.warn(message);
  },
  error: (message) => {
    console.error(message);
  },
};
