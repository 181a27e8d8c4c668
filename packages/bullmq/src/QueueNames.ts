/** Where one app's queue lives in Redis: the BullMQ prefix and queue name, and its cancel channel. */
export interface QueueNames {
  readonly prefix: string;
  readonly queue: string;
  readonly cancelChannel: string;
}

/** BullMQ keys under `apogee:<name>:...`, apart from any other BullMQ queue in the same Redis. */
export function queueNames(name: string): QueueNames {
  return { prefix: 'apogee', queue: name, cancelChannel: `apogee:${name}:cancel` };
}
