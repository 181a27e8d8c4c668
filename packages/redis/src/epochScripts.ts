import { LuaScript } from './LuaScript';

/*
 * Scripts of the store's epoch (see `StoreEpoch`). Each one that may find the store empty does
 * the check in the same step as the write it exists for (a heartbeat, a campaign), so that noticing
 * a Redis emptied under the replicas costs no round trip of its own.
 */

/**
 * Starts a new epoch when none is stored (a new store, or one emptied by a restart without
 * persistence or a FLUSHALL) and holds campaigns off for `settle` ms: replicas still running
 * check the epoch at each heartbeat, and must find it changed and write their state back before
 * anyone restores from the empty store. Returns the epoch.
 */
const ENSURE_EPOCH = `
local function ensureEpoch(epochKey, settleKey, fresh, settleMs)
  local e = redis.call('GET', epochKey)
  if e then return e end
  redis.call('SET', epochKey, fresh)
  redis.call('SET', settleKey, '1', 'PX', settleMs)
  return fresh
end
`;

/**
 * Renews this process's heartbeat and reads the epoch in one step.
 * ARGV: heartbeat key, heartbeat TTL ms, epoch key. Returns the epoch, or false when there is none.
 */
export const HEARTBEAT = new LuaScript(`
redis.call('SET', ARGV[1], '1', 'PX', tonumber(ARGV[2]))
return redis.call('GET', ARGV[3])
`);

/**
 * One campaign for the lease: taken (SET NX PX, as redis-semaphore's Mutex does) only when the
 * epoch is the one this process knows ('' for a process that knows none yet: it adopts the
 * stored one) and no emptied store is settling.
 * ARGV: lease key, token, TTL ms, epoch key, settle key, known epoch, fresh epoch, settle ms.
 * Returns { 1 taken | 0 held by another | -1 the epoch changed | -2 settling, epoch }.
 */
export const CAMPAIGN = new LuaScript(`${ENSURE_EPOCH}
local e = ensureEpoch(ARGV[4], ARGV[5], ARGV[7], tonumber(ARGV[8]))
if ARGV[6] ~= '' and ARGV[6] ~= e then return { -1, e } end
if redis.call('EXISTS', ARGV[5]) == 1 then return { -2, e } end
if redis.call('SET', ARGV[1], ARGV[2], 'NX', 'PX', tonumber(ARGV[3])) then return { 1, e } end
return { 0, e }
`);

/**
 * Writes back what a replica holds of the state its restore reads, into a store emptied under it,
 * without overwriting anything newer: a task's state only when its newest record is newer than the
 * stored state's (another replica, or a new leader, may have written first), pause states, last
 * condition starts and open runs only where none is stored. The record counter goes past every
 * sequence written back, so that no new record takes a number an old state points at.
 * ARGV: prefix, epoch key, settle key, fresh epoch, settle ms, snapshot JSON (see `HeldState`).
 * Returns { epoch, states written, pauses written, last starts written, open runs written }.
 */
export const WRITE_BACK = new LuaScript(`${ENSURE_EPOCH}
local p = ARGV[1]
local snap = cjson.decode(ARGV[6])

local function newest(raw)
  if type(raw) ~= 'string' then return -1 end
  local ok, st = pcall(cjson.decode, raw)
  if not ok or type(st) ~= 'table' or type(st.last) ~= 'table' then return -1 end
  local at = -1
  for _, l in pairs(st.last) do
    if type(l) == 'table' and type(l.at) == 'number' and l.at > at then at = l.at end
  end
  return at
end

local function putAbsent(key, entries)
  local n = 0
  for field, value in pairs(entries) do n = n + redis.call('HSETNX', key, field, value) end
  return n
end

local states = 0
for task, raw in pairs(snap.states) do
  if newest(raw) > newest(redis.call('HGET', p .. 'state', task)) then
    redis.call('HSET', p .. 'state', task, raw)
    states = states + 1
  end
end
local pauses = putAbsent(p .. 'paused', snap.paused)
local starts = putAbsent(p .. 'lastStart', snap.lastStart)
local open = putAbsent(p .. 'open', snap.open)
local seq = tonumber(redis.pcall('GET', p .. 'seq')) or 0
if snap.seq > seq then redis.call('SET', p .. 'seq', snap.seq) end
local e = ensureEpoch(ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]))
return { e, states, pauses, starts, open }
`);
