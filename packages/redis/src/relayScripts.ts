import { LuaScript } from './LuaScript';

/*
 * Scripts of the relay's bound (see `RedisRelay`): a task's runs waiting on the leader (the
 * `waiting` hash, written by the leader) plus its `run` requests not yet counted there (the
 * `transit` hash) never exceed the task's `maxBatches`. A stored count that is not a whole number
 * is read as 0 (the caller warns, naming the key), never an error halfway through a script.
 */

/** Reads a stored count: a whole number, else 0. */
const COUNT = `
local function count(raw)
  if type(raw) ~= 'string' or not string.match(raw, '^%d+$') then return 0 end
  return tonumber(raw)
end
`;

/**
 * A follower's `run` request, queued only while the task's waiting runs plus those on their way
 * stay below its bound. ARGV: requests key, waiting key, transit key, entry, task, maxBatches.
 * Returns { 1 queued | 0 refused, stored waiting ('' none), stored transit ('' none) }.
 */
export const ADMIT = new LuaScript(`${COUNT}
local rawWaiting = redis.call('HGET', ARGV[2], ARGV[5])
local rawTransit = redis.call('HGET', ARGV[3], ARGV[5])
local transit = count(rawTransit)
local accepted = 0
if count(rawWaiting) + transit < tonumber(ARGV[6]) then
  redis.call('RPUSH', ARGV[1], ARGV[4])
  redis.call('HSET', ARGV[3], ARGV[5], transit + 1)
  accepted = 1
end
return { accepted, rawWaiting or '', rawTransit or '' }
`);

/**
 * The leader took a `run` request and queued it (or not): it leaves `transit` and the task's
 * queue count is set, in one step, so the request is counted all along.
 * ARGV: waiting key, transit key, task, waiting count ('' leaves it as it is).
 */
export const TAKEN = `${COUNT}
local transit = count(redis.call('HGET', ARGV[2], ARGV[3]))
if transit > 1 then redis.call('HSET', ARGV[2], ARGV[3], transit - 1) else redis.call('HDEL', ARGV[2], ARGV[3]) end
if ARGV[4] == '0' then redis.call('HDEL', ARGV[1], ARGV[3])
elseif ARGV[4] ~= '' then redis.call('HSET', ARGV[1], ARGV[3], ARGV[4]) end
`;

/**
 * A new leader's view: `waiting` rewritten from its own queues, `transit` counted again from the
 * `run` requests in the list (what a leader that died between a pop and its count left over).
 * Entries that are not JSON of a `run` request with a task name are not counted.
 * ARGV: requests key, waiting key, transit key, then task and count pairs.
 */
export const TAKEOVER = `
redis.call('DEL', ARGV[2])
for i = 4, #ARGV, 2 do redis.call('HSET', ARGV[2], ARGV[i], ARGV[i + 1]) end
local counts = {}
for _, raw in ipairs(redis.call('LRANGE', ARGV[1], 0, -1)) do
  local ok, entry = pcall(cjson.decode, raw)
  if ok and type(entry) == 'table' and entry.kind == 'run' and type(entry.taskName) == 'string' then
    counts[entry.taskName] = (counts[entry.taskName] or 0) + 1
  end
end
redis.call('DEL', ARGV[3])
for task, n in pairs(counts) do redis.call('HSET', ARGV[3], task, n) end
`;
