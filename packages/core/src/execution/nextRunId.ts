import { randomBytes } from 'node:crypto';

/**
 * The prefix of a process's run ids from its random bytes: base64url, with a letter in front. A
 * bare base64url string starts with `-` once in 64 processes, and such an id read as an option
 * where it is passed as an argument (`apogee logs --run -Ks8w...` was refused as ambiguous).
 */
export const runIdPrefix = (bytes: Uint8Array): string => `r${Buffer.from(bytes).toString('base64url')}`;

/**
 * Per process, 72 random bits: ids stay unique in a run log that several processes (or
 * restarts) share.
 */
const PREFIX = runIdPrefix(randomBytes(9));
let counter = 0;

/**
 * A new run id: this process's random prefix and a counter (`rKs8w1x0qTAnM-1b`). A run id only
 * has to be unique; `randomUUID()` formats 16 random bytes into hex for every run, which
 * allocated more than the rest of a run's bookkeeping together (sampling heap profile).
 */
export function nextRunId(): string {
  counter++;
  return `${PREFIX}-${counter.toString(36)}`;
}
