import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * Takes jobs out of the finished sets and deletes them: `KEYS[1]` and `KEYS[2]` are the queue's
 * completed and failed sets, `ARGV[1]` the prefix of its job keys, `ARGV[1 + i]` a job id. Answers
 * 1 for each job it took, 0 for one no longer there (taken by another leader, or never finished).
 * A queue job never has children, so its keys are its hash and (if a worker logged to it) its log.
 * Job keys are built here, as BullMQ's own scripts build them, so a call carries each id once.
 */
const TAKE_SCRIPT = `
local taken = {}
for i = 2, #ARGV do
  local id = ARGV[i]
  if redis.call('ZREM', KEYS[1], id) == 1 or redis.call('ZREM', KEYS[2], id) == 1 then
    local key = ARGV[1] .. id
    redis.call('DEL', key, key .. ':logs')
    taken[i - 1] = 1
  else
    taken[i - 1] = 0
  end
end
return taken
`;

const COMMAND = 'apogeeTakeFinishedJobs';

/** Jobs per script call: one call holds Redis for its whole loop. */
const CHUNK = 500;

interface TakeCommand {
  apogeeTakeFinishedJobs(numKeys: number, ...keysAndArgs: string[]): Promise<number[]>;
}

/**
 * The finished jobs of a queue, taken by the leader that records their ends. Taking a job is the
 * claim on its end: after a change of leader, the old and the new one may both hear of one end,
 * and only one of them takes its job out of the completed (or failed) set. The claim and the
 * job's removal are one script, so each end costs a share of one round trip per batch, no key is
 * left behind, and no `removed` event is written. BullMQ's own `removeOnComplete` cannot do this:
 * a job removed at completion is lost to a new leader whose predecessor died before it read the
 * job's end, and BullMQ 6's `Queue.remove()` answers 1 for a job removed already, so its count
 * cannot decide a claim.
 */
export class FinishedJobs {
  private readonly client: Redis & TakeCommand;

  constructor(
    client: Redis,
    private readonly queue: Queue,
  ) {
    // ioredis runs it by SHA (EVALSHA), sending the source only when the server lacks it.
    client.defineCommand(COMMAND, { lua: TAKE_SCRIPT });
    this.client = client as Redis & TakeCommand;
  }

  /**
   * Takes the jobs `jobIds`, one script call per {@link CHUNK} of them, all sent at once: true
   * for each job taken here, false for one taken elsewhere. Rejects when Redis cannot answer.
   */
  async take(jobIds: readonly string[]): Promise<boolean[]> {
    const { queue } = this;
    const calls: Promise<number[]>[] = [];
    for (let from = 0; from < jobIds.length; from += CHUNK) {
      const ids = jobIds.slice(from, from + CHUNK);
      calls.push(
        this.client.apogeeTakeFinishedJobs(
          2,
          queue.toKey('completed'),
          queue.toKey('failed'),
          queue.toKey(''),
          ...ids,
        ),
      );
    }
    return (await Promise.all(calls)).flat().map((taken) => taken === 1);
  }
}
