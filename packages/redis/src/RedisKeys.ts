/**
 * Every key one app (`redis({ name })`) uses, under `apogee:{<name>}:`. The braces make the name
 * a hash tag, so the keys of one app live together (and the scripts, which touch several, stay on
 * one node should the keys ever be spread).
 */
export class RedisKeys {
  readonly prefix: string;

  constructor(readonly name: string) {
    this.prefix = `apogee:{${name}}:`;
  }

  /** The lease's key, as redis-semaphore's `Mutex` writes it (it adds `mutex:`). */
  get leaseName(): string {
    return `${this.prefix}lease`;
  }
  get lease(): string {
    return `mutex:${this.leaseName}`;
  }
  /** A process's heartbeat: present while it is alive. */
  process(id: string): string {
    return `${this.prefix}proc:${id}`;
  }
  /** Requests for the leader (a list). */
  get requests(): string {
    return `${this.prefix}requests`;
  }
  /** Task -> runs waiting in the leader's queue, as the leader last wrote it (a hash). */
  get waiting(): string {
    return `${this.prefix}waiting`;
  }
  /** Task -> `run` requests in the list (or taken and not yet counted in `waiting`), a hash. */
  get transit(): string {
    return `${this.prefix}transit`;
  }
  /**
   * The store's epoch: a random id written once into an empty store. A replica that finds it
   * gone or changed knows Redis was emptied under it (see `StoreEpoch`).
   */
  get epoch(): string {
    return `${this.prefix}epoch`;
  }
  /** Present (with a TTL) while an emptied store waits for running replicas to write their state back. */
  get settle(): string {
    return `${this.prefix}settle`;
  }
  /** Where each stored record is announced. */
  get channel(): string {
    return `${this.prefix}records`;
  }
}
