import {
  duration,
  el,
  lastFinished,
  OUTCOME_LABEL,
  pretty,
  relative,
  stateLabel,
  taskState,
  when,
} from './format.js';

/**
 * The side panel for the selected task: its actions, why it runs or not (the explain tree), its
 * live runs with their progress, its last runs, and the detail of the run picked among them.
 */
export class DetailPanel {
  constructor(container, actions) {
    this.container = container;
    this.actions = actions;
    this.state = undefined;
  }

  /** Draws the panel from `state`: { task, explain, explainError, runs, live, run, runError }. */
  render(state) {
    this.state = state;
    const { task } = state;
    const parts = [];
    const head = el('div', 'detail-head');
    const state_ = taskState(task);
    head.append(el('h2', '', task.name), el('span', `status status-${state_}`, stateLabel(state_)));
    parts.push(head);
    const facts = el('dl', 'facts');
    fact(facts, 'Condition', task.start);
    if (task.end !== null) fact(facts, 'Ends when', task.end);
    fact(
      facts,
      'Next run',
      task.disabled
        ? 'disabled'
        : task.nextRun === null
          ? 'not predictable'
          : `${when(task.nextRun)} (${relative(task.nextRun)})`,
    );
    fact(facts, 'Last run', lastRunText(task, state.runs));
    if (task.batches > 0) fact(facts, 'Waiting runs', String(task.batches));
    parts.push(facts);

    const buttons = el('div', 'actions');
    buttons.append(
      button('Run now…', 'run-now', () => this.actions.run(task.name)),
      button('Terminate', 'terminate', () => this.actions.terminate(task.name), !task.isRunning),
      button(task.disabled ? 'Enable' : 'Disable', 'toggle', () =>
        this.actions.toggle(task.name, !task.disabled),
      ),
    );
    // A task run on request has no schedule whose instants could be filled in.
    if (task.start !== 'on request')
      buttons.append(button('Backfill…', 'backfill', () => this.actions.backfill(task.name)));
    parts.push(buttons);

    parts.push(el('h3', '', 'Why'));
    // A disabled task does not start on its condition, whatever the tree says: as `apogee why`.
    if (task.disabled)
      parts.push(
        el(
          'p',
          'why-disabled',
          `${task.name} is disabled: it does not start on its condition (Enable lets it again).`,
        ),
      );
    if (state.explainError !== undefined) parts.push(el('p', 'problem', state.explainError));
    else if (state.explain === undefined) parts.push(el('p', 'muted', 'loading…'));
    else {
      const tree = el('ul', 'why');
      tree.append(explanation(state.explain, !task.disabled));
      parts.push(tree);
    }

    if (state.live.length > 0) {
      parts.push(el('h3', '', 'Running now'));
      const list = el('ul', 'live');
      for (const run of state.live) {
        const item = el('li', 'live-run');
        item.dataset.run = run.runId;
        const link = el('a', '', `run ${run.runId}`);
        link.href = '#';
        link.addEventListener('click', (event) => {
          event.preventDefault();
          this.actions.selectRun(task.name, run.runId);
        });
        item.append(link, el('span', 'muted', ` started ${relative(run.started)}`));
        if (run.progress !== undefined) item.append(progress(run.progress));
        list.append(item);
      }
      parts.push(list);
    }

    parts.push(el('h3', '', 'Last runs'));
    if (state.runs.length === 0) parts.push(el('p', 'muted', 'No finished runs in the log.'));
    else {
      const list = el('ol', 'runs');
      for (const run of [...state.runs].reverse()) {
        const item = el(
          'li',
          `run outcome-${run.action}${state.run?.runId === run.runId ? ' selected' : ''}`,
        );
        item.dataset.run = run.runId;
        item.tabIndex = 0;
        item.append(
          el('i', `dot outcome-${run.action}`),
          el('span', '', `${OUTCOME_LABEL[run.action] ?? run.action} ${when(run.end)}`),
          el('small', 'muted', ` ${duration(run.runtime)}`),
        );
        item.addEventListener('click', () => this.actions.selectRun(task.name, run.runId));
        list.append(item);
      }
      parts.push(list);
    }

    if (state.runError !== undefined) parts.push(el('p', 'problem', state.runError));
    if (state.run !== undefined)
      parts.push(
        runDetail(
          state.run,
          task,
          state.live.find((r) => r.runId === state.run.runId),
          state.output?.runId === state.run.runId ? state.output.lines : [],
        ),
      );
    this.container.replaceChildren(...parts);
    // Follows the newest line, as a terminal does.
    for (const list of this.container.querySelectorAll('.output-lines')) list.scrollTop = list.scrollHeight;
  }
}

/** The task's last run from its own state, as the table shows it: the live run, or the last one. */
function lastRunText(task, runs) {
  const live = task.isRunning ? task.runs?.[0] : undefined;
  if (live !== undefined)
    return `running, started ${when(live.started)} (${duration(Date.now() - new Date(live.started).getTime())} so far)`;
  if (task.isRunning) return 'running';
  if (task.lastRun === null) return 'never';
  const run = lastFinished(task, runs);
  const took = run === undefined || run.runtime === null ? '' : `, took ${duration(run.runtime)}`;
  return `${when(task.lastRun)} (${relative(task.lastRun)}${took})`;
}

function fact(list, name, value) {
  list.append(el('dt', '', name), el('dd', '', value));
}

function button(label, name, onClick, disabled = false) {
  const node = el('button', name === 'run-now' ? 'primary' : '', label);
  node.type = 'button';
  node.dataset.action = name;
  node.disabled = disabled;
  node.addEventListener('click', onClick);
  return node;
}

function progress({ fraction, message }) {
  const wrap = el('div', 'progress');
  const bar = el('progress');
  bar.max = 1;
  bar.value = fraction;
  wrap.append(bar, el('span', '', `${Math.round(fraction * 100)}%${message ? ` ${message}` : ''}`));
  return wrap;
}

/** One node of the explain tree and, below it, its children. */
function explanation(node, showNext) {
  const item = el('li', node.value ? 'holds' : 'fails');
  const line = el('div', 'node');
  line.append(
    el('span', 'mark', node.value ? '✓' : '✗'),
    el('code', '', node.condition),
    el('span', 'value', node.value ? ' holds' : ' does not hold'),
  );
  if (node.reason) line.append(el('span', 'reason', ` · ${node.reason}`));
  if (showNext && node.next)
    line.append(el('span', 'next', ` · next ${when(node.next)} (${relative(node.next)})`));
  item.append(line);
  if (node.children?.length > 0) {
    const children = el('ul');
    for (const child of node.children) children.append(explanation(child, showNext));
    item.append(children);
  }
  return item;
}

/** The run's own output (`@RunLogger()`, a worker's console), one line each, followed while it runs. */
function outputLines(lines, live) {
  const box = el('div', 'output');
  if (lines.length === 0) {
    box.append(
      el(
        'p',
        'muted',
        live ? 'No output yet; lines appear here as the run writes them.' : 'This run wrote no output.',
      ),
    );
    return box;
  }
  const list = el('ol', 'output-lines');
  for (const line of lines) {
    const item = el('li', `level-${line.level}`);
    item.append(
      el('time', '', new Date(line.at).toLocaleTimeString(undefined, { hour12: false })),
      el('span', 'level', line.level),
      el('span', 'message', line.message),
    );
    if (line.fields !== undefined) item.append(el('code', 'fields', JSON.stringify(line.fields)));
    list.append(item);
  }
  box.append(list);
  return box;
}

function runDetail(run, task, live, output) {
  const box = el('section', 'run-detail');
  box.dataset.run = run.runId;
  box.append(el('h3', '', `Run ${run.runId}`));
  const facts = el('dl', 'facts');
  fact(facts, 'Outcome', OUTCOME_LABEL[run.action] ?? run.action);
  fact(facts, 'Started', when(run.start));
  if (run.end !== null) fact(facts, 'Ended', when(run.end));
  fact(
    facts,
    'Duration',
    run.runtime !== null
      ? duration(run.runtime)
      : run.start !== null
        ? `${duration(Date.now() - new Date(run.start).getTime())} so far`
        : '',
  );
  box.append(facts);
  if (live?.progress !== undefined) box.append(el('h4', '', 'Progress'), progress(live.progress));
  box.append(el('h4', '', 'Parameters'));
  // The run's records carry its batch parameters however it was started (this page, the API,
  // task.run(), an emission); a run without a batch ran with the task's own.
  const batch = run.parameters;
  const params = batch === undefined ? task.parameters : { ...task.parameters, ...batch };
  box.append(el('pre', 'params', pretty(params ?? {})));
  box.append(
    el(
      'p',
      'muted',
      batch === undefined
        ? "The task's own parameters: this run had no batch parameters. Private values read *****."
        : "The task's parameters with this run's batch parameters over them. Private values read *****.",
    ),
  );
  box.append(el('h4', '', 'Output'), outputLines(output, run.action === 'run'));
  if (run.returnValue !== undefined)
    box.append(el('h4', '', 'Return value'), el('pre', 'return', pretty(run.returnValue)));
  if (run.error !== undefined) {
    box.append(el('h4', '', 'Error'), el('pre', 'error', `${run.error.name}: ${run.error.message}`));
    if (run.stack !== undefined) box.append(el('pre', 'stack', run.stack));
  }
  return box;
}
