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
 *   pos                 hash "<action>:<runId>" -> seq: where each record is, for records({ before })
 *   open                hash runId -> { taskName, start, process, recorded }: runs begun (or claimed) and not ended
 *   lastStart           hash task -> run id of the task's last condition start (the fence's basis)
 *   paused              hash task -> "1" (disabled) or "0" (enabled again): each task's last pause state
 *   out:<runId>         list of the run's output lines (JSON), deleted with the run's end record
 *   epoch, settle       see `StoreEpoch`: whether the store was emptied under running replicas
 */

/**
 * Stores one record and folds it into the task's state, atomically, then applies retention and
 * announces it. Written as a Lua function so that the crash script below reuses it.
 */
const APPEND_FN = `
-- Values read back may be anything anyone with access wrote: each is decoded under pcall and
-- checked, so that a malformed one is skipped or replaced and the append still happens.
local ACTIONS = { run = true, success = true, fail = true, terminate = true, inaction = true, crash = true }

local function decoded(raw)
  if type(raw) ~= 'string' then return nil end
  local ok, value = pcall(cjson.decode, raw)
  if ok and type(value) == 'table' then return value end
  return nil
end

local function isWhole(n)
  return type(n) == 'number' and n >= 0 and n == math.floor(n) and n ~= math.huge
end

local function isFinite(n)
  return type(n) == 'number' and n == n and n ~= math.huge and n ~= -math.huge
end

-- A task's state as stored, keeping only what has the shape restore accepts: a field that is not
-- one Apogee wrote is rewritten clean by the next append instead of failing every append.
local function readState(raw)
  local st = decoded(raw) or {}
  local clean = { last = {}, consecutiveFails = 0 }
  if type(st.last) == 'table' then
    for a, l in pairs(st.last) do
      if ACTIONS[a] and type(l) == 'table' and isFinite(l.at) and isWhole(l.sequence) then
        clean.last[a] = { at = l.at, sequence = l.sequence }
      end
    end
  end
  if isWhole(st.consecutiveFails) then clean.consecutiveFails = st.consecutiveFails end
  if type(st.returnValue) == 'string' and pcall(cjson.decode, st.returnValue) then
    clean.returnValue = st.returnValue
    if type(st.returnSignature) == 'string' then clean.returnSignature = st.returnSignature end
  end
  return clean
end

local function removeRecord(p, seq)
  local r = decoded(redis.call('GET', p .. 'rec:' .. seq))
  redis.call('ZREM', p .. 'idx', seq)
  if r and type(r.taskName) == 'string' and type(r.action) == 'string' then
    redis.call('ZREM', p .. 'idx:t:' .. r.taskName, seq)
    redis.call('ZREM', p .. 'idx:a:' .. r.action, seq)
    redis.call('ZREM', p .. 'idx:ta:' .. r.taskName .. ':' .. r.action, seq)
    -- Only this record's position: a later record of the same run and action keeps its own.
    if type(r.runId) == 'string' and redis.call('HGET', p .. 'pos', r.action .. ':' .. r.runId) == tostring(seq) then
      redis.call('HDEL', p .. 'pos', r.action .. ':' .. r.runId)
    end
    -- The end record goes after the start (retention drops oldest first): the run's output goes with it.
    if type(r.runId) == 'string' and r.action ~= 'run' then redis.call('DEL', p .. 'out:' .. r.runId) end
  end
  redis.call('DEL', p .. 'rec:' .. seq)
end

-- The next sequence number; a counter overwritten with something else restarts after the newest record.
local function nextSeq(p)
  local seq = redis.pcall('INCR', p .. 'seq')
  if type(seq) == 'number' then return seq end
  local newest = redis.call('ZREVRANGE', p .. 'idx', 0, 0, 'WITHSCORES')
  seq = (tonumber(newest[2]) or 0) + 1
  redis.call('SET', p .. 'seq', seq)
  return seq
end

-- Whether the run has any record left in the log (its positions, one per action).
local function hasRecords(p, runId)
  for a in pairs(ACTIONS) do
    if redis.call('HEXISTS', p .. 'pos', a .. ':' .. runId) == 1 then return true end
  end
  return false
end

-- One start and one end per run: a 'run' for a run already recorded, or an end for a run that
-- is not open (ended already, or marked crash while its process was silent), is refused here,
-- in the script that would append it, so that no two writers can both pass the check.
local function refused(p, r)
  local raw = redis.call('HGET', p .. 'open', r.runId)
  if r.action == 'run' then
    if raw then return (decoded(raw) or {}).recorded == 1 end
    return hasRecords(p, r.runId)
  end
  return not raw
end

-- p: prefix; json: the stored record; process: the writer; perTask/cutoff: retention (-1: none).
-- Returns the record's seq and the task's state as stored, or -1 when refused (see refused).
local function append(p, json, process, perTask, cutoff)
  local r = cjson.decode(json)
  local task, action = r.taskName, r.action
  if type(r.runId) ~= 'string' or refused(p, r) then return -1 end
  local seq = nextSeq(p)
  redis.call('SET', p .. 'rec:' .. seq, json)
  redis.call('ZADD', p .. 'idx', seq, seq)
  redis.call('ZADD', p .. 'idx:t:' .. task, seq, seq)
  redis.call('ZADD', p .. 'idx:a:' .. action, seq, seq)
  redis.call('ZADD', p .. 'idx:ta:' .. task .. ':' .. action, seq, seq)
  redis.call('HSET', p .. 'pos', action .. ':' .. r.runId, seq)
  local st = readState(redis.call('HGET', p .. 'state', task))
  st.status = action
  st.last[action] = { at = r.created, sequence = seq }
  if action == 'fail' then
    st.consecutiveFails = st.consecutiveFails + 1
  elseif action ~= 'run' then
    st.consecutiveFails = 0
  end
  if action == 'success' then
    st.returnValue = r.returnValue
    st.returnSignature = r.returnSignature
  end
  local encodedState = cjson.encode(st)
  redis.call('HSET', p .. 'state', task, encodedState)
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
      local o = decoded(redis.call('GET', p .. 'rec:' .. s))
      -- A value that is not a record has no age: it goes with the oldest.
      if o and isFinite(o.created) and o.created >= cutoff then break end
      removeRecord(p, s)
    end
  end
  -- With the task's state as stored now: every replica holds it, to write back should Redis be emptied.
  redis.call('PUBLISH', p .. 'records', cjson.encode({ process = process, record = json, seq = seq, state = encodedState }))
  return seq, encodedState
end
`;

/**
 * ARGV: prefix, record JSON, process id, perTask (-1: none), cutoff ms (-1: none).
 * Returns { seq, the task's state JSON }, or -1 when refused.
 */
export const APPEND = new LuaScript(`${APPEND_FN}
local seq, state = append(ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]))
if seq == -1 then return -1 end
return { seq, state }
`);

/**
 * Marks one open run `crash`, if it is still open and the process that ran it has no heartbeat:
 * checked and written in one step, so that two processes restoring at once mark it once. A run
 * that was claimed but whose start was never recorded gets its `run` record first.
 * ARGV: prefix, run id, now ms, process id of the marker, perTask, cutoff, error message.
 * Returns 1 (marked), 0 (ended or alive), -1 (the entry is not an open run: left alone).
 */
export const CRASH = new LuaScript(`${APPEND_FN}
local p, runId, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local raw = redis.call('HGET', p .. 'open', runId)
if not raw then return 0 end
local o = decoded(raw)
if not o or type(o.taskName) ~= 'string' or not isFinite(o.start) or type(o.process) ~= 'string' then return -1 end
if redis.call('EXISTS', p .. 'proc:' .. o.process) == 1 then return 0 end
local perTask, cutoff = tonumber(ARGV[5]), tonumber(ARGV[6])
if o.recorded ~= 1 then
  append(p, cjson.encode({ taskName = o.taskName, action = 'run', created = o.start, runId = runId, start = o.start }), ARGV[4], perTask, cutoff)
end
-- The run ended at its process's last sign of life, which is past: the heartbeat has lapsed.
append(p, cjson.encode({ taskName = o.taskName, action = 'crash', created = now, runId = runId, start = o.start, ['end'] = now, runtime = now - o.start, errorMessage = ARGV[7] }), ARGV[4], perTask, cutoff)
return 1
`);
