import type { StartClaim, StartFence } from '@apogee/core';
import { errorMessage } from '@apogee/core/internal';
import type { LeaderLease } from './LeaderLease';
import { LuaScript } from './LuaScript';
import type { RedisNode } from './RedisNode';
import type { RedisRunLog } from './RedisRunLog';

/**
 * Checks the fencing token and claims the start in one script. Two round trips (GET the lease,
 * then claim) would leave a gap in which this process could pause, lose the lease to another
 * and then claim on a lease it no longer holds; Redis runs a script without interleaving anything.
 *
 * A batch (`task.run`, an emission) is claimed on its run id, reserved where it was asked
 * (SET NX; kept a day, far longer than any forwarded request waits). A condition start is a
 * compare-and-set on the task's last condition start: it succeeds only if the last start Redis
 * knows is the one this leader's state was restored with (or made itself). Two leaders that both
 * believe the task is due compute the same basis, so only the first start succeeds, and a stale
 * leader, whose history misses a start made elsewhere, cannot start at all. (Keying on the due
 * instant instead would need both leaders to predict the same instant, which custom conditions
 * and `when()` do not allow.)
 *
 * ARGV: lease key, token, prefix, kind, task, run id, basis ('' for none), process id, now ms.
 * Returns 1 (claimed), 0 (batch already started), -1 (not the lease holder), -2 (history moved on).
 */
const CLAIM = new LuaScript(`
local p = ARGV[3]
if redis.call('GET', ARGV[1]) ~= ARGV[2] then return -1 end
if ARGV[4] == 'batch' then
  if not redis.call('SET', p .. 'claim:' .. ARGV[6], '1', 'PX', 86400000, 'NX') then return 0 end
else
  local current = redis.call('HGET', p .. 'lastStart', ARGV[5]) or ''
  if current ~= ARGV[7] then return -2 end
  redis.call('HSET', p .. 'lastStart', ARGV[5], ARGV[6])
end
redis.call('HSET', p .. 'open', ARGV[6], cjson.encode({ taskName = ARGV[5], start = tonumber(ARGV[9]), process = ARGV[8], recorded = 0 }))
return 1
`);

/**
 * Whether a run was claimed and has not ended: its `open` entry names the task, and a condition
 * start (no batch claim) is of a task not paused. One script, so the three reads agree.
 * ARGV: prefix, task, run id. Returns 1 (claimed), 0 (no open claim for that task), -1 (paused).
 */
const VERIFY = new LuaScript(`
local p = ARGV[1]
local raw = redis.call('HGET', p .. 'open', ARGV[3])
if not raw then return 0 end
local ok, o = pcall(cjson.decode, raw)
if not ok or type(o) ~= 'table' or o.taskName ~= ARGV[2] then return 0 end
if redis.call('EXISTS', p .. 'claim:' .. ARGV[3]) == 1 then return 1 end
if redis.call('HGET', p .. 'paused', ARGV[2]) == '1' then return -1 end
return 1
`);

/**
 * The start fence on Redis: right before each start, the lease must still be valid here (checked
 * on the monotonic clock, without a round trip) and then the claim script must succeed. Any
 * refusal other than "this batch already ran" ends this process's term: it is no longer the
 * leader it thought it was, and gains the lease back (restoring state) before it starts anything.
 */
export class RedisFence implements StartFence {
  /** Claims of one task go one after another: each is based on the one before. */
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(
    private readonly node: RedisNode,
    private readonly lease: LeaderLease,
    private readonly log: RedisRunLog,
  ) {}

  claim(start: StartClaim): boolean | Promise<boolean> {
    const token = this.lease.token;
    if (token === undefined) return false;
    const previous = this.pending.get(start.taskName) ?? Promise.resolve();
    const next = previous.then(() => this.claimNow(start, token));
    this.pending.set(start.taskName, next);
    void next.finally(() => {
      if (this.pending.get(start.taskName) === next) this.pending.delete(start.taskName);
    });
    return next;
  }

  async verifyClaim(taskName: string, runId: string): Promise<string | undefined> {
    const result = await VERIFY.run(this.node.client, [this.node.keys.prefix, taskName, runId]);
    if (result === 1) return undefined;
    return result === -1
      ? `task "${taskName}" is disabled, and run ${runId} is not a batch`
      : `no leader claimed run ${runId} of task "${taskName}" (or it has ended)`;
  }

  private async claimNow(start: StartClaim, token: string): Promise<boolean> {
    const { taskName, runId, kind } = start;
    const { keys, processId } = this.node;
    const basis = this.log.lastStarts.get(taskName) ?? '';
    const now = Date.now();
    let result: unknown;
    try {
      result = await CLAIM.run(this.node.client, [
        keys.lease,
        token,
        keys.prefix,
        kind,
        taskName,
        runId,
        basis,
        processId,
        now,
      ]);
    } catch (error) {
      void this.lease.lose(`Redis did not answer the start fence (${errorMessage(error)})`);
      throw error;
    }
    if (result === 1) {
      if (kind === 'condition') this.log.lastStarts.set(taskName, runId);
      this.log.held.claimed(runId, { taskName, start: now, process: processId });
      if (this.lease.isLeader) return true;
      // Paused between the claim and its answer, past the term: claimed, but not started by a
      // process that may no longer lead. The claim is withdrawn, so the next leader (whose basis
      // is this claim) starts the run instead.
      this.log.held.claimed(runId, undefined);
      await this.node.client.hdel(`${keys.prefix}open`, runId).catch(() => undefined);
      return false;
    }
    if (result === -1) void this.lease.lose('another process holds the lease');
    if (result === -2) void this.lease.lose(`task "${taskName}" was started by another process meanwhile`);
    return false;
  }
}
