import type { Clock } from '../time/Clock';
import type { StoreWarnings } from './StoreWarnings';

/** More than this between this process's clock and the store's is warned about. */
export const CLOCK_SKEW_LIMIT_MS = 1_000;

/**
 * Compares `clock` (the app's) with the store's clock (`readStoreTime`: Redis `TIME`, Postgres
 * `now()`, in ms since the epoch) and warns when they differ by more than a second beyond the
 * round trip's uncertainty; returns the difference measured (local minus store, ms). Replicas
 * whose clocks disagree start time-condition runs at different instants, and records written
 * with one clock are read against another's after a failover: checked at start and at each
 * takeover, so the operator hears of it before a failover shows it. A store that cannot be read
 * costs a failure warning (`store` names it) and `undefined`.
 */
export async function checkClockSkew(
  warnings: StoreWarnings,
  clock: Clock,
  readStoreTime: () => Promise<number>,
  moment: string,
  store: string,
): Promise<number | undefined> {
  const sentAt = performance.now();
  let storeTime: number;
  try {
    storeTime = await readStoreTime();
  } catch (error) {
    warnings.failed(`read ${store}'s clock`, error, 'The clocks were not compared.');
    return undefined;
  }
  const roundTrip = performance.now() - sentAt;
  // The store read its clock somewhere within the round trip: its middle, give or take half.
  const skew = clock.now() - roundTrip / 2 - storeTime;
  if (Math.abs(skew) > CLOCK_SKEW_LIMIT_MS + roundTrip / 2) {
    warnings.notice(
      'clock skew',
      `at ${moment}, this process's clock is ${String(Math.round(Math.abs(skew)))} ms ` +
        `${skew > 0 ? 'ahead of' : 'behind'} the store's. Replicas whose clocks differ start runs at ` +
        "different instants, and a leader reads another's records against its own clock: keep " +
        'every machine on NTP (chrony, systemd-timesyncd).',
      'APOGEE_CLOCK_SKEW',
    );
  }
  return skew;
}
