import { LuaScript } from './LuaScript';

/*
 * The shared log's layout under the app's prefix. Records are kept in sorted sets, not streams:
 * `records({ taskName, action, limit, offset })` must page back from the newest match of a
 * filter, and retention must drop one task's oldest records without touching others. A sorted
 * set per filter (all, per task, per action, per task and action) answers a page with one
 * ZREVRANGE (O(log n + page)), and trimming a task is a ZRANGE of its own set; a stream can only
 * be trimmed from its head, across every task at once.
 *
 *   seq                 INCR counter: the write order, the score and member in every index
 *   rec:<seq>           the record (JSON)
 *   idx, idx:t:<task>, idx:a:<action>, idx:ta:<task>:<action>   sorted sets of seq
 *   state               hash task -> { status, last: { action: { at, sequence } }, consecutiveFails, returnValue? }
 *   open                hash runId -> { taskName, start, process, recorded }: runs begun (or claimed) and not ended
 *   lastStart           hash task -> run id of the task's last condition start (the fence's basis)
 *   paused              hash task -> "1" (disabled) or "0" (enabled again): each task's last pause state
 */

/**
 * Stores one record and folds it into the task's state, atomically, then applies retention and
 * announces it. Written as a Lua function so that the crash script below reuses it.
 */
const APPEND_FN = `
local function removeRecord(p, seq)
  local raw = redis.call('GET', p .. 'rec:' .. seq)
  redis.call('ZREM', p .. 'idx', seq)
  if raw then
    local r = cjson.decode(raw)
    redis.call('ZREM', p .. 'idx:t:' .. r.taskName, seq)
    redis.call('ZREM', p .. 'idx:a:' .. r.action, seq)
    redis.call('ZREM', p .. 'idx:ta:' .. r.taskName .. ':' .. r.action, seq)
    redis.call('DEL', p .. 'rec:' .. seq)
  end
end

-- p: prefix; json: the stored record; process: the writer; perTask/cutoff: retention (-1: none)
local function append(p, json, process, perTask, cutoff)
  local r = cjson.decode(json)
  local task, action = r.taskName, r.action
  local seq = redis.call('INCR', p .. 'seq')
  redis.call('SET', p .. 'rec:' .. seq, json)
  redis.call('ZADD', p .. 'idx', seq, seq)
  redis.call('ZADD', p .. 'idx:t:' .. task, seq, seq)
  redis.call('ZADD', p .. 'idx:a:' .. action, seq, seq)
  redis.call('ZADD', p .. 'idx:ta:' .. task .. ':' .. action, seq, seq)
  local raw = redis.call('HGET', p .. 'state', task)
  local st = raw and cjson.decode(raw) or { last = {}, consecutiveFails = 0 }
  st.status = action
  st.last[action] = { at = r.created, sequence = seq }
  if action == 'fail' then
    st.consecutiveFails = st.consecutiveFails + 1
  elseif action ~= 'run' then
    st.consecutiveFails = 0
  end
  if action == 'success' then st.returnValue = r.returnValue end
  redis.call('HSET', p .. 'state', task, cjson.encode(st))
  if action == 'run' then
    redis.call('HSET', p .. 'open', r.runId, cjson.encode({ taskName = task, start = r.start or r.created, process = process, recorded = 1 }))
  else
    redis.call('HDEL', p .. 'open', r.runId)
  end
  if perTask > 0 then
    local n = redis.call('ZCARD', p .. 'idx:t:' .. task)
    if n > perTask then
      -- At most 100 per append: a lowered limit drains over the next appends.
      local old = redis.call('ZRANGE', p .. 'idx:t:' .. task, 0, math.min(n - perTask, 100) - 1)
      for _, s in ipairs(old) do removeRecord(p, s) end
    end
  end
  if cutoff >= 0 then
    local oldest = redis.call('ZRANGE', p .. 'idx', 0, 99)
    for _, s in ipairs(oldest) do
      local o = redis.call('GET', p .. 'rec:' .. s)
      if o and cjson.decode(o).created >= cutoff then break end
      removeRecord(p, s)
    end
  end
  redis.call('PUBLISH', p .. 'records', cjson.encode({ process = process, record = json }))
  return seq
end
`;

/** ARGV: prefix, record JSON, process id, perTask (-1: none), cutoff ms (-1: none). */
export const APPEND = new LuaScript(`${APPEND_FN}
return append(ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]))
`);

/**
 * Marks one open run `crash`, if it is still open and the process that ran it has no heartbeat:
 * checked and written in one step, so that two processes restoring at once mark it once. A run
 * that was claimed but whose start was never recorded gets its `run` record first.
 * ARGV: prefix, run id, now ms, process id of the marker, perTask, cutoff, error message.
 */
export const CRASH = new LuaScript(`${APPEND_FN}
local p, runId, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local raw = redis.call('HGET', p .. 'open', runId)
if not raw then return 0 end
local o = cjson.decode(raw)
if redis.call('EXISTS', p .. 'proc:' .. o.process) == 1 then return 0 end
local perTask, cutoff = tonumber(ARGV[5]), tonumber(ARGV[6])
if o.recorded ~= 1 then
  append(p, cjson.encode({ taskName = o.taskName, action = 'run', created = o.start, runId = runId, start = o.start }), ARGV[4], perTask, cutoff)
end
-- The run ended at its process's last sign of life, which is past: the heartbeat has lapsed.
append(p, cjson.encode({ taskName = o.taskName, action = 'crash', created = now, runId = runId, start = o.start, ['end'] = now, runtime = now - o.start, errorMessage = ARGV[7] }), ARGV[4], perTask, cutoff)
return 1
`);
