import { randomBytes } from 'node:crypto';

/**
 * Per process, 72 random bits: ids stay unique in a run log that several processes (or
 * restarts) share.
 */
const PREFIX = randomBytes(9).toString('base64url');
let counter = 0;

/**
 * A new run id: this process's random prefix and a counter (`Ks8w1x0qTAnM-1b`). A run id only
 * has to be unique; `randomUUID()` formats 16 random bytes into hex for every run, which
 * allocated more than the rest of a run's bookkeeping together (sampling heap profile).
 */
export function nextRunId(): string {
  counter++;
  return `${PREFIX}-${counter.toString(36)}`;
}
