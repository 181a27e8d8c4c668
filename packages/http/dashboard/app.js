// The dashboard's entry point: loads the tasks, keeps them live from the event stream, and wires
// the table, the timeline, the detail panel and the actions together. No polling: the page asks
// the API again only when an event says something changed.
import { Api, Unauthorized } from './api.js';
import { DetailPanel } from './detail.js';
import { askBackfillRange, askRunParameters, askToken, confirmAction, toast } from './dialogs.js';
import { relative, taskState } from './format.js';
import { TaskTable } from './taskTable.js';
import { Timeline } from './timeline.js';

const HOUR = 3_600_000;
const ENDED = new Set(['taskSucceeded', 'taskFailed', 'taskTerminated', 'taskInacted']);
const $ = (id) => document.getElementById(id);
const enc = encodeURIComponent;

const api = new Api();
let tasks = [];
const byName = new Map();
/** Each task's last 20 finished runs, for the rows drawn so far. */
const strips = new Map();
/** Runs going on now, by run id: { task, runId, started, progress? }. */
const live = new Map();
let visible = [];
let rendered = [];
let windowHours = 24;
/** A fixed window chosen by zooming; undefined follows now. */
let zoom;
let selected;
let detail;

const table = new TaskTable($('table-body'), $('table-spacer'), $('table-rows'), {
  onSelect: (name) => void guard(select(name)),
  onRange: (shown, drawn) => {
    const lanesChanged = shown.join('\n') !== visible.join('\n');
    visible = shown;
    rendered = drawn;
    later('strips', 120, () => loadStrips(rendered));
    if (lanesChanged) later('timeline', 250, loadTimeline);
  },
});
const timeline = new Timeline($('timeline'), {
  onZoom: (from, to) => {
    zoom = { from, to };
    void guard(loadTimeline());
  },
  onSelectRun: (task, runId) => void guard(selectRun(task, runId)),
});
const panel = new DetailPanel($('detail'), {
  run: (name) => void guard(runNow(name)),
  terminate: (name) => void guard(terminate(name)),
  toggle: (name, disable) => void guard(toggle(name, disable)),
  backfill: (name) => void guard(backfill(name)),
  selectRun: (task, runId) => void guard(selectRun(task, runId)),
});

/** Runs `work`; a failure is shown, never thrown into the void. */
async function guard(work) {
  try {
    await work;
  } catch (error) {
    toast(error.message, true);
  }
}

const timers = new Map();
/** Runs `work` once, `ms` after the last request for it: scrolling asks many times, the API once. */
function later(key, ms, work) {
  clearTimeout(timers.get(key));
  timers.set(
    key,
    setTimeout(() => void guard(work()), ms),
  );
}

let prompt;
/** Runs `call`, asking for the token (once for every caller waiting) whenever the server says 401. */
async function authed(call) {
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof Unauthorized)) throw error;
      prompt ??= askToken(
        api.token === undefined
          ? 'This control server requires a token. It is kept in this tab only (sessionStorage) and sent as a header, never in a URL.'
          : 'The server refused that token. Enter the right one.',
      ).then((token) => {
        api.setToken(token);
        prompt = undefined;
      });
      await prompt;
    }
  }
}

const get = (path) => authed(() => api.get(path));
const post = (path, body) => authed(() => api.post(path, body));

/** The runs under way of `task`, as the server lists them, replace what the page knew. */
function syncLive(task) {
  for (const [runId, run] of live) if (run.task === task.name) live.delete(runId);
  for (const run of task.runs) live.set(run.runId, { task: task.name, ...run });
}

function setTasks(list) {
  tasks = list;
  byName.clear();
  live.clear();
  for (const task of list) {
    byName.set(task.name, task);
    syncLive(task);
  }
  applyFilter();
}

function replaceTask(task) {
  const index = tasks.findIndex((t) => t.name === task.name);
  if (index >= 0) tasks[index] = task;
  byName.set(task.name, task);
  syncLive(task);
}

function applyFilter() {
  const text = $('search').value.trim().toLowerCase();
  const status = $('status-filter').value;
  const shown = tasks.filter((task) => {
    if (text !== '' && !task.name.toLowerCase().includes(text)) return false;
    const state = taskState(task);
    if (status === 'failed') return state === 'fail' || state === 'crash';
    return status === '' || state === status;
  });
  $('counts').textContent = `${shown.length} of ${tasks.length} tasks`;
  table.setTasks(shown);
}

async function loadStrips(names, force = false) {
  const wanted = force ? names : names.filter((name) => !strips.has(name));
  for (let i = 0; i < wanted.length; i += 100) {
    const chunk = wanted.slice(i, i + 100);
    const answer = await get(`/runs?n=20&${chunk.map((n) => `task=${enc(n)}`).join('&')}`);
    for (const [name, runs] of Object.entries(answer)) strips.set(name, runs);
  }
  if (wanted.length > 0) table.setStrips(strips);
}

let timelineBusy = false;
let timelineAgain = false;
async function loadTimeline() {
  if (timelineBusy) {
    timelineAgain = true;
    return;
  }
  timelineBusy = true;
  try {
    const now = Date.now();
    const { from, to } = zoom ?? { from: now - windowHours * HOUR, to: now };
    const buckets = Math.max(50, Math.min(2000, Math.round($('timeline').clientWidth - 180)));
    const lanes = visible.map((n) => `&task=${enc(n)}`).join('');
    if (visible.length === 0) timeline.show({ from, to, buckets, outcomes: [], lanes: [] });
    else {
      const answer = await get(
        `/timeline?from=${Math.round(from)}&to=${Math.round(to)}&buckets=${buckets}${lanes}`,
      );
      // The log is read back only to the window's start, so a run that began before it and is
      // still going comes from the live runs the page knows.
      for (const lane of answer.lanes) {
        if (lane.runs === undefined) continue;
        for (const run of liveRuns(lane.task)) {
          if (!lane.runs.some((r) => r.runId === run.runId))
            lane.runs.push({
              runId: run.runId,
              action: 'run',
              start: new Date(run.started).getTime(),
              end: null,
            });
        }
      }
      timeline.show(answer);
    }
  } finally {
    timelineBusy = false;
    if (timelineAgain) {
      timelineAgain = false;
      later('timeline', 0, loadTimeline);
    }
  }
}

function liveRuns(name) {
  return [...live.values()].filter((run) => run.task === name);
}

function renderDetail() {
  if (detail === undefined) return;
  detail.task = byName.get(detail.task.name) ?? detail.task;
  detail.live = liveRuns(detail.task.name);
  panel.render(detail);
}

async function select(name) {
  selected = name;
  table.select(name);
  detail = { task: byName.get(name), runs: strips.get(name) ?? [], live: liveRuns(name) };
  renderDetail();
  await refreshDetail();
}

async function refreshDetail() {
  const name = selected;
  const [explain, runs] = await Promise.allSettled([
    get(`/tasks/${enc(name)}/explain`),
    get(`/runs?n=20&task=${enc(name)}`),
  ]);
  if (name !== selected) return;
  detail.explain = explain.status === 'fulfilled' ? explain.value : undefined;
  detail.explainError = explain.status === 'rejected' ? explain.reason.message : undefined;
  if (runs.status === 'fulfilled') {
    detail.runs = runs.value[name] ?? [];
    strips.set(name, detail.runs);
  }
  if (detail.run !== undefined && detail.run.action === 'run') await selectRun(name, detail.run.runId);
  else renderDetail();
}

async function selectRun(task, runId) {
  if (task !== selected) await select(task);
  try {
    // Lines that arrive over /events while the stored ones are read are kept, not lost.
    const following = detail.output?.runId === runId ? detail.output : { runId, lines: [], pending: [] };
    detail.output = following;
    const [run, lines] = await Promise.all([
      get(`/runs/${enc(runId)}?task=${enc(task)}`),
      get(`/runs/${enc(runId)}/output`),
    ]);
    detail.run = run;
    detail.runError = undefined;
    following.lines = mergeOutput(lines, following.pending);
    following.pending = [];
    following.loaded = true;
  } catch (error) {
    detail.run = undefined;
    detail.runError = error.message;
  }
  renderDetail();
}

/** The stored lines, then the live ones not among them (a line can be both stored and emitted). */
function mergeOutput(stored, live) {
  const key = (line) => `${line.at}\u0000${line.level}\u0000${line.message}`;
  const seen = new Set(stored.map(key));
  return [...stored, ...live.filter((line) => !seen.has(key(line)))];
}

/** A line of the run shown in the detail panel, live: appended as it is written. */
function onOutput(data) {
  const output = detail?.output;
  if (output === undefined || output.runId !== data.runId) return;
  if (output.loaded) output.lines.push(data.line);
  else output.pending.push(data.line);
  // At most ten renders a second however fast the run writes (a debounce would starve).
  outputRender ??= setTimeout(() => {
    outputRender = undefined;
    renderDetail();
  }, 100);
}
let outputRender;

async function runNow(name) {
  const params = await askRunParameters(name, '{}');
  if (params === undefined) return;
  const answer = await post(`/tasks/${enc(name)}/run`, params);
  toast(`Queued a run of "${name}"${answer.runId === undefined ? '' : ` (run ${answer.runId})`}.`);
}

async function terminate(name) {
  if (
    !(await confirmAction(
      `Terminate the running runs of "${name}"? Each is aborted and recorded as terminated.`,
      'Terminate',
    ))
  )
    return;
  const answer = await post(`/tasks/${enc(name)}/terminate`);
  toast(answer.terminated ? `Terminating "${name}".` : `"${name}" was not running.`);
}

async function backfill(name) {
  const range = await askBackfillRange(name);
  if (range === undefined) return;
  toast(`Backfilling "${name}"…`);
  const report = await post(`/tasks/${enc(name)}/backfill`, range);
  toast(
    `Backfilled "${name}": ${report.instants} instants, ${report.started} run, ${report.failed} failed, ${report.skipped} skipped (they had a run).`,
    report.failed > 0,
  );
}

async function toggle(name, disable) {
  const question = disable
    ? `Disable "${name}"? Its condition is no longer checked and it does not start until enabled again.`
    : `Enable "${name}"? It starts again whenever its condition holds.`;
  if (!(await confirmAction(question, disable ? 'Disable' : 'Enable'))) return;
  await post(`/tasks/${enc(name)}/${disable ? 'disable' : 'enable'}`);
  replaceTask(await get(`/tasks/${enc(name)}`));
  applyFilter();
  renderDetail();
  toast(`"${name}" ${disable ? 'disabled' : 'enabled'}.`);
}

// Live updates: events name the tasks that changed; those are read again, together, shortly after.
const dirty = new Set();
let everything = false;
let flushing = false;

function onEvent(type, data) {
  if (type === 'leadershipAcquired' || type === 'leadershipLost') void guard(loadStatus());
  if (type === 'taskOutput') {
    onOutput(data);
    return;
  }
  if (type === 'taskStarted')
    live.set(data.runId, { task: data.taskName, runId: data.runId, started: data.at });
  else if (ENDED.has(type)) live.delete(data.runId);
  else if (type === 'taskProgress') {
    const run = live.get(data.runId) ?? { task: data.taskName, runId: data.runId, started: data.at };
    live.set(data.runId, { ...run, progress: { fraction: data.fraction, message: data.message } });
    if (data.taskName === selected) renderDetail();
    return;
  }
  if (typeof data.taskName === 'string') {
    dirty.add(data.taskName);
    later('flush', 300, flush);
  }
}

async function flush() {
  if (flushing) {
    later('flush', 300, flush);
    return;
  }
  flushing = true;
  try {
    const names = [...dirty];
    dirty.clear();
    if (everything || names.length > 25) {
      everything = false;
      setTasks(await get('/tasks'));
      strips.clear();
    } else {
      for (const name of names) {
        if (byName.has(name)) replaceTask(await get(`/tasks/${enc(name)}`));
        strips.delete(name);
      }
      applyFilter();
    }
    await loadStrips(rendered);
    if (names.length === 0 || names.some((n) => visible.includes(n))) await loadTimeline();
    if (selected !== undefined && (names.length === 0 || names.includes(selected))) await refreshDetail();
  } finally {
    flushing = false;
  }
}

/** The header's cluster badge: this process's role and the last store error (`GET /healthz`). */
async function loadStatus() {
  const node = $('cluster');
  let status;
  try {
    status = await get('/healthz');
  } catch (error) {
    // A 503 (the app stopping) still says the role; anything else leaves the badge as it was.
    status = error.body;
  }
  if (status === null || status === undefined || typeof status.role !== 'string') return;
  node.hidden = status.role === 'single' && status.lastStoreError === undefined;
  node.dataset.role = status.role;
  const failure = status.lastStoreError;
  node.textContent =
    failure === undefined ? status.role : `${status.role} · store error ${relative(failure.at)}`;
  if (failure === undefined) delete node.dataset.storeError;
  else node.dataset.storeError = '';
  node.title =
    `${status.role} since ${new Date(status.since).toLocaleString()}` +
    (failure === undefined ? '' : `\nlast store error: could not ${failure.operation}: ${failure.message}`);
}

function setConnection(state) {
  const node = $('connection');
  node.dataset.state = state;
  node.textContent = state;
}

async function connect() {
  let delay = 1000;
  for (;;) {
    try {
      await authed(() =>
        api.events(() => {
          setConnection('live');
          delay = 1000;
          // Whatever happened while the stream was down is read once it is up again.
          everything = true;
          later('flush', 0, flush);
        }, onEvent),
      );
    } catch {
      // The stream failed: reconnect below.
    }
    setConnection('reconnecting');
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 15_000);
  }
}

$('search').addEventListener('input', applyFilter);
$('status-filter').addEventListener('change', applyFilter);
for (const node of document.querySelectorAll('[data-window]')) {
  node.addEventListener('click', () => {
    windowHours = Number(node.dataset.window);
    zoom = undefined;
    void guard(loadTimeline());
  });
}
// Relative times ("in 5 min") age; redraw them now and then. This asks the server nothing.
setInterval(() => {
  table.render(true);
  renderDetail();
  void guard(loadStatus());
}, 15_000);

try {
  setTasks(await get('/tasks'));
  void guard(loadStatus());
  void connect();
} catch (error) {
  const banner = $('banner');
  banner.textContent = `Cannot reach the control API: ${error.message}`;
  banner.hidden = false;
}
