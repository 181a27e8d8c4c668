/** BullMQ's priorities run from 1 (first) to 2 097 152; 0 means none. */
const BULLMQ_LOWEST = 2 ** 21;
/** Apogee's priority 0 (the default) sits in the middle, so both directions have room. */
const MIDDLE = 2 ** 20;

/**
 * An Apogee priority (higher first, any number) as a BullMQ priority (lower first). Every job
 * gets one: BullMQ takes jobs without a priority before all prioritized ones.
 */
export function bullmqPriority(priority: number): number {
  return Math.min(BULLMQ_LOWEST, Math.max(1, MIDDLE - Math.round(priority)));
}
