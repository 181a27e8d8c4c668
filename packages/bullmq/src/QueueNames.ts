/** Where one app's queue lives in Redis: the BullMQ prefix and queue name, and its channels. */
export interface QueueNames {
  readonly prefix: string;
  readonly queue: string;
  /** Leader to workers: abort this job's run. */
  readonly cancelChannel: string;
  /** Workers to the leader: a running job's progress and output. */
  readonly updateChannel: string;
}

/** BullMQ keys under `apogee:<name>:...`, apart from any other BullMQ queue in the same Redis. */
export function queueNames(name: string): QueueNames {
  return {
    prefix: 'apogee',
    queue: name,
    cancelChannel: `apogee:${name}:cancel`,
    updateChannel: `apogee:${name}:updates`,
  };
}
