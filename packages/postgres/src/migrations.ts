/*
 * The tables and functions of `postgres()`, in one schema (default `apogee`) that any number of
 * apps share: every row carries its app's `name`, and every key and index starts with it, so two
 * apps never see each other's rows.
 *
 *   meta          the schema's version (one row): migrations run in order up to CODE_VERSION
 *   leases        app -> the leader's token and when its lease ends (database clock)
 *   processes     app, process -> when its heartbeat lapses: a process without one is dead
 *   records       the run records, in write order (seq); one index per filter of records()
 *   task_state    app, task -> { status, last: { action: { at, sequence } }, consecutiveFails, returnValue? }
 *   open_runs     runs claimed or begun and not ended, with their process
 *   last_starts   app, task -> run id of the task's last condition start (the fence's basis)
 *   claims        app, run id of each batch claimed (kept a day)
 *   paused        app, task -> disabled: each task's last pause state
 *   requests      requests from replicas for the leader, popped once; a run's carries its task
 *                 (counted on its way to the leader) and, once taken, the taking leader's token
 *   waiting       app, task -> runs waiting in the leader's queue (the bound of relayed runs)
 *   run_output    app, run id -> the run's output lines in write order; deleted with its end record
 *
 * The writes that must not interleave are functions, each one statement for the caller and so one
 * transaction: the fence's claim checks the lease and claims under a share lock on the lease row
 * (a takeover, which updates that row, waits for it), and an append serializes with every other
 * append and crash mark of its app (a transaction advisory lock), so that records commit in `seq`
 * order and a follower reading "after the last seq it saw" misses none.
 */

/** The schema version this code writes. A database at a newer one is refused. */
export const CODE_VERSION = 3;

/** Statements that bring a schema from version `index` to `index + 1`; `s` is the quoted schema. */
export const MIGRATIONS: readonly ((s: string) => string)[] = [
  (s) => `
CREATE TABLE ${s}.leases (
  app text PRIMARY KEY,
  token text NOT NULL,
  holder text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE TABLE ${s}.processes (
  app text NOT NULL,
  id text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (app, id)
);
CREATE INDEX processes_expiry ON ${s}.processes (expires_at);
CREATE TABLE ${s}.records (
  seq bigserial PRIMARY KEY,
  app text NOT NULL,
  task text NOT NULL,
  action text NOT NULL,
  run_id text NOT NULL,
  created bigint NOT NULL,
  process text NOT NULL,
  record jsonb NOT NULL
);
CREATE INDEX records_app ON ${s}.records (app, seq);
CREATE INDEX records_task ON ${s}.records (app, task, seq);
CREATE INDEX records_action ON ${s}.records (app, action, seq);
CREATE INDEX records_task_action ON ${s}.records (app, task, action, seq);
CREATE INDEX records_run ON ${s}.records (app, run_id);
CREATE INDEX records_created ON ${s}.records (app, created);
CREATE TABLE ${s}.task_state (
  app text NOT NULL,
  task text NOT NULL,
  state jsonb NOT NULL,
  PRIMARY KEY (app, task)
);
CREATE TABLE ${s}.open_runs (
  app text NOT NULL,
  run_id text NOT NULL,
  task text NOT NULL,
  start_ms bigint NOT NULL,
  process text NOT NULL,
  recorded boolean NOT NULL,
  PRIMARY KEY (app, run_id)
);
CREATE TABLE ${s}.last_starts (
  app text NOT NULL,
  task text NOT NULL,
  run_id text NOT NULL,
  PRIMARY KEY (app, task)
);
CREATE TABLE ${s}.claims (
  app text NOT NULL,
  run_id text NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (app, run_id)
);
CREATE INDEX claims_age ON ${s}.claims (app, claimed_at);
CREATE TABLE ${s}.paused (
  app text NOT NULL,
  task text NOT NULL,
  disabled boolean NOT NULL,
  PRIMARY KEY (app, task)
);
CREATE TABLE ${s}.requests (
  id bigserial PRIMARY KEY,
  app text NOT NULL,
  body jsonb NOT NULL,
  created timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX requests_app ON ${s}.requests (app, id);
${functions(s)}`,
  // Version 2: each run's own output (@RunLogger(), a worker's console). A trigger deletes it with
  // the run's end record (retention deletes oldest first, so the start record is gone already).
  (s) => `
CREATE TABLE ${s}.run_output (
  id bigserial PRIMARY KEY,
  app text NOT NULL,
  run_id text NOT NULL,
  line jsonb NOT NULL
);
CREATE INDEX run_output_run ON ${s}.run_output (app, run_id, id);
CREATE FUNCTION ${s}.delete_run_output() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM ${s}.run_output WHERE app = OLD.app AND run_id = OLD.run_id;
  RETURN NULL;
END $$;
CREATE TRIGGER records_output_delete AFTER DELETE ON ${s}.records
  FOR EACH ROW WHEN (OLD.action <> 'run') EXECUTE FUNCTION ${s}.delete_run_output();
`,
  // Version 3: relayed runs bounded by their task's maxBatches (see PostgresRelay). A request row
  // counts until the leader deletes it in the statement that writes its task's new queue count.
  (s) => `
ALTER TABLE ${s}.requests ADD COLUMN task text, ADD COLUMN taken text;
CREATE INDEX requests_task ON ${s}.requests (app, task) WHERE task IS NOT NULL;
CREATE TABLE ${s}.waiting (
  app text NOT NULL,
  task text NOT NULL,
  count integer NOT NULL,
  PRIMARY KEY (app, task)
);
${relayRunFunction(s)}`,
];

/**
 * `relay_run`: a follower's run request, inserted only while the task's waiting runs plus its
 * requests on their way stay below `p_max`. Serialized per task (a transaction advisory lock),
 * and both counts read in one statement (one snapshot), so two followers never both take the
 * last place. Returns whether it was inserted and the two counts it was judged on.
 */
function relayRunFunction(s: string): string {
  return `
CREATE FUNCTION ${s}.relay_run(p_app text, p_task text, p_body jsonb, p_max int, p_channel text,
  OUT o_accepted boolean, OUT o_waiting integer, OUT o_transit bigint)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('apogee.relay'), hashtext(p_app || '/' || p_task));
  SELECT (SELECT w.count FROM ${s}.waiting w WHERE w.app = p_app AND w.task = p_task),
         (SELECT count(*) FROM ${s}.requests r WHERE r.app = p_app AND r.task = p_task)
    INTO o_waiting, o_transit;
  o_accepted := greatest(coalesce(o_waiting, 0), 0) + o_transit < p_max;
  IF o_accepted THEN
    INSERT INTO ${s}.requests (app, task, body) VALUES (p_app, p_task, p_body);
    PERFORM pg_notify(p_channel, '');
  END IF;
END $$;`;
}

/** The functions of version 1 (see the header for why each is one), one SQL text each. */
function functions(s: string): string {
  return [appendFunction, nextStateFunction, markCrashedFunction, claimFunction].map((f) => f(s)).join('\n');
}

/** `append`: one record, with its refusals. */
function appendFunction(s: string): string {
  return `
-- One record, folded into its task's state; retention in bounded steps; followers woken.
-- Returns the record's seq, or -1 when refused: an end for a run that is not open (already
-- ended, or marked crash), or a 'run' for a run that already has records.
CREATE FUNCTION ${s}.append(p_app text, p_rec jsonb, p_process text, p_per_task int, p_cutoff bigint, p_channel text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_task text := p_rec->>'taskName';
  v_action text := p_rec->>'action';
  v_run text := p_rec->>'runId';
  v_created bigint := (p_rec->>'created')::bigint;
  v_seq bigint;
  v_state jsonb;
  v_recorded boolean;
  v_boundary bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('apogee.append'), hashtext(p_app));
  IF v_action = 'run' THEN
    SELECT recorded INTO v_recorded FROM ${s}.open_runs WHERE app = p_app AND run_id = v_run FOR UPDATE;
    IF v_recorded THEN RETURN -1; END IF;
    IF v_recorded IS NULL THEN
      IF EXISTS (SELECT 1 FROM ${s}.records WHERE app = p_app AND run_id = v_run) THEN RETURN -1; END IF;
      INSERT INTO ${s}.open_runs (app, run_id, task, start_ms, process, recorded)
        VALUES (p_app, v_run, v_task, coalesce((p_rec->>'start')::bigint, v_created), p_process, true);
    ELSE
      UPDATE ${s}.open_runs SET recorded = true WHERE app = p_app AND run_id = v_run;
    END IF;
  ELSE
    DELETE FROM ${s}.open_runs WHERE app = p_app AND run_id = v_run;
    IF NOT FOUND THEN RETURN -1; END IF;
  END IF;
  INSERT INTO ${s}.records (app, task, action, run_id, created, process, record)
    VALUES (p_app, v_task, v_action, v_run, v_created, p_process, p_rec) RETURNING seq INTO v_seq;
  SELECT state INTO v_state FROM ${s}.task_state WHERE app = p_app AND task = v_task FOR UPDATE;
  -- A state row that is not one (written by hand, damaged) is rewritten from this record on,
  -- rather than failing every append of the task.
  BEGIN
    v_state := ${s}.next_state(v_state, v_action, v_created, v_seq, p_rec);
  EXCEPTION WHEN others THEN
    v_state := ${s}.next_state(NULL, v_action, v_created, v_seq, p_rec);
  END;
  INSERT INTO ${s}.task_state (app, task, state) VALUES (p_app, v_task, v_state)
    ON CONFLICT (app, task) DO UPDATE SET state = excluded.state;
  -- Retention, at most 100 rows per kind per append: a lowered limit drains over the next appends.
  IF p_per_task > 0 THEN
    SELECT seq INTO v_boundary FROM ${s}.records WHERE app = p_app AND task = v_task
      ORDER BY seq DESC OFFSET p_per_task LIMIT 1;
    IF v_boundary IS NOT NULL THEN
      DELETE FROM ${s}.records WHERE seq IN (SELECT seq FROM ${s}.records
        WHERE app = p_app AND task = v_task AND seq <= v_boundary ORDER BY seq LIMIT 100);
    END IF;
  END IF;
  IF p_cutoff >= 0 THEN
    DELETE FROM ${s}.records WHERE seq IN (SELECT seq FROM ${s}.records
      WHERE app = p_app AND created < p_cutoff ORDER BY created LIMIT 100);
  END IF;
  DELETE FROM ${s}.claims WHERE (app, run_id) IN (SELECT app, run_id FROM ${s}.claims
    WHERE app = p_app AND claimed_at < now() - interval '1 day' LIMIT 100);
  PERFORM pg_notify(p_channel, v_seq::text);
  RETURN v_seq;
END $$;
`;
}

/** `next_state`: a task's state after one more record. */
function nextStateFunction(s: string): string {
  return `
-- A task's state after one more record (see task_state in the header).
CREATE FUNCTION ${s}.next_state(p_state jsonb, p_action text, p_created bigint, p_seq bigint, p_rec jsonb)
RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  v_state jsonb := coalesce(p_state, '{"last": {}, "consecutiveFails": 0}'::jsonb);
  v_fails bigint;
BEGIN
  IF jsonb_typeof(v_state) <> 'object' OR jsonb_typeof(v_state->'last') <> 'object' THEN
    RAISE EXCEPTION 'malformed task state';
  END IF;
  v_fails := (v_state->>'consecutiveFails')::bigint;
  IF v_fails IS NULL OR v_fails < 0 THEN RAISE EXCEPTION 'malformed task state'; END IF;
  v_state := v_state || jsonb_build_object('status', p_action,
    'last', (v_state->'last') || jsonb_build_object(p_action, jsonb_build_object('at', p_created, 'sequence', p_seq)));
  IF p_action = 'fail' THEN
    v_state := v_state || jsonb_build_object('consecutiveFails', v_fails + 1);
  ELSIF p_action <> 'run' THEN
    v_state := v_state || '{"consecutiveFails": 0}'::jsonb;
  END IF;
  IF p_action = 'success' THEN
    v_state := (v_state - 'returnValue' - 'returnSignature') || jsonb_strip_nulls(jsonb_build_object(
      'returnValue', p_rec->'returnValue', 'returnSignature', p_rec->'returnSignature'));
  END IF;
  RETURN v_state;
END $$;
`;
}

/** `mark_crashed`: a dead process's open run marked once. */
function markCrashedFunction(s: string): string {
  return `
-- Marks one open run 'crash' if it is still open and its process has no live heartbeat, under
-- the app's append lock (taken first, as append takes it): two restoring processes mark it once.
CREATE FUNCTION ${s}.mark_crashed(p_app text, p_run text, p_marker text, p_per_task int, p_cutoff bigint, p_message text, p_channel text)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  o ${s}.open_runs%ROWTYPE;
  v_now bigint := (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('apogee.append'), hashtext(p_app));
  SELECT * INTO o FROM ${s}.open_runs WHERE app = p_app AND run_id = p_run;
  IF NOT FOUND THEN RETURN 0; END IF;
  IF EXISTS (SELECT 1 FROM ${s}.processes WHERE app = p_app AND id = o.process AND expires_at > now()) THEN
    RETURN 0;
  END IF;
  IF NOT o.recorded THEN
    PERFORM ${s}.append(p_app, jsonb_build_object('taskName', o.task, 'action', 'run', 'created', o.start_ms,
      'runId', p_run, 'start', o.start_ms), p_marker, p_per_task, p_cutoff, p_channel);
  END IF;
  PERFORM ${s}.append(p_app, jsonb_build_object('taskName', o.task, 'action', 'crash', 'created', v_now,
    'runId', p_run, 'start', o.start_ms, 'end', v_now, 'runtime', greatest(0, v_now - o.start_ms),
    'errorMessage', p_message), p_marker, p_per_task, p_cutoff, p_channel);
  RETURN 1;
END $$;
`;
}

/** `claim`: the start fence. */
function claimFunction(s: string): string {
  return `
-- The start fence: the lease check and the claim in one transaction. Returns 1 (claimed),
-- 0 (batch already claimed), -1 (not the lease holder), -2 (the task's history moved on).
CREATE FUNCTION ${s}.claim(p_app text, p_token text, p_kind text, p_task text, p_run text, p_basis text, p_process text, p_start bigint)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  v_current text;
BEGIN
  -- FOR SHARE: a takeover (an UPDATE of this row) waits until this claim has committed, so the
  -- new leader's restore sees it.
  PERFORM 1 FROM ${s}.leases WHERE app = p_app AND token = p_token AND expires_at > now() FOR SHARE;
  IF NOT FOUND THEN RETURN -1; END IF;
  IF p_kind = 'batch' THEN
    INSERT INTO ${s}.claims (app, run_id) VALUES (p_app, p_run) ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN RETURN 0; END IF;
  ELSE
    SELECT run_id INTO v_current FROM ${s}.last_starts WHERE app = p_app AND task = p_task FOR UPDATE;
    IF coalesce(v_current, '') <> p_basis THEN RETURN -2; END IF;
    INSERT INTO ${s}.last_starts (app, task, run_id) VALUES (p_app, p_task, p_run)
      ON CONFLICT (app, task) DO UPDATE SET run_id = excluded.run_id;
  END IF;
  INSERT INTO ${s}.open_runs (app, run_id, task, start_ms, process, recorded)
    VALUES (p_app, p_run, p_task, p_start, p_process, false) ON CONFLICT DO NOTHING;
  RETURN 1;
END $$;
`;
}
