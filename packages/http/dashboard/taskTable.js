import {
  duration,
  el,
  lastFinished,
  OUTCOME_LABEL,
  relative,
  stateLabel,
  taskState,
  when,
} from './format.js';

const ROW_HEIGHT = 34;
/** Rows drawn above and below the visible ones, so a fast scroll shows no gap. */
const OVERSCAN = 4;

/**
 * The task table, virtualised: however many tasks, only the rows in view (and a few around them)
 * exist in the DOM. A spacer as tall as every row keeps the scrollbar honest.
 */
export class TaskTable {
  constructor(body, spacer, rows, { onSelect, onRange }) {
    this.body = body;
    this.spacer = spacer;
    this.rows = rows;
    this.onSelect = onSelect;
    this.onRange = onRange;
    this.tasks = [];
    this.strips = new Map();
    this.selected = undefined;
    this.range = '';
    /** The rows in the DOM, by task name: their element and what it was drawn from. */
    this.drawn = new Map();
    body.addEventListener('scroll', () => this.render(), { passive: true });
    new ResizeObserver(() => this.render()).observe(body);
    rows.addEventListener('click', (event) => {
      const row = event.target.closest('[data-task]');
      if (row !== null) this.onSelect(row.dataset.task);
    });
    rows.addEventListener('keydown', (event) => {
      const row = event.target.closest('[data-task]');
      if (row !== null && (event.key === 'Enter' || event.key === ' ')) {
        event.preventDefault();
        this.onSelect(row.dataset.task);
      }
    });
  }

  /** Shows `tasks` (already filtered), keeping the scroll position where it can. */
  setTasks(tasks) {
    this.tasks = tasks;
    this.spacer.style.height = `${tasks.length * ROW_HEIGHT}px`;
    this.render();
  }

  setStrips(strips) {
    this.strips = strips;
    this.render();
  }

  select(name) {
    this.selected = name;
    this.render();
  }

  /** The names of the rows in view, top to bottom. */
  visibleNames() {
    const first = Math.floor(this.body.scrollTop / ROW_HEIGHT);
    const count = Math.ceil(this.body.clientHeight / ROW_HEIGHT);
    return this.tasks.slice(first, first + count).map((t) => t.name);
  }

  /** Draws the rows in view; `force` redraws them all (relative times such as "5 s ago" age). */
  render(force = false) {
    const first = Math.max(0, Math.floor(this.body.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(
      this.tasks.length,
      Math.ceil((this.body.scrollTop + this.body.clientHeight) / ROW_HEIGHT) + OVERSCAN,
    );
    const now = Date.now();
    // A row whose content did not change keeps its element: the DOM is touched only where it
    // changed, and a row under the pointer or the keyboard focus stays the same element.
    const drawn = new Map();
    for (let i = first; i < last; i++) {
      const task = this.tasks[i];
      const key = JSON.stringify([task, this.strips.get(task.name) ?? null, task.name === this.selected, i]);
      const old = this.drawn.get(task.name);
      drawn.set(task.name, !force && old?.key === key ? old : { key, node: this.row(task, i, now) });
    }
    for (const [name, { node }] of this.drawn) if (drawn.get(name)?.node !== node) node.remove();
    for (const { node } of drawn.values()) if (node.parentNode !== this.rows) this.rows.append(node);
    this.drawn = drawn;
    const visible = this.visibleNames();
    const range = `${first}:${last}:${visible.join('\n')}`;
    if (range !== this.range) {
      this.range = range;
      this.onRange(
        visible,
        this.tasks.slice(first, last).map((t) => t.name),
      );
    }
  }

  row(task, index, now) {
    const row = el('div', task.name === this.selected ? 'row selected' : 'row');
    row.setAttribute('role', 'row');
    row.dataset.task = task.name;
    row.tabIndex = 0;
    row.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
    const state = taskState(task);
    const strip = this.strips.get(task.name) ?? [];
    const name = el('span', 'name', task.name);
    name.title = task.name;
    const condition = el('span', 'condition', task.start);
    condition.title = task.start;
    const status = el('span', `status status-${state}`, stateLabel(state));
    if (state === 'never' && strip.length > 0)
      status.title = 'This app has not run it: the runs shown come from a log it did not restore at start.';
    const next = el('span', 'next', task.disabled ? '' : relative(task.nextRun, now));
    next.title = when(task.nextRun);
    const last = lastRunCell(task, strip, now);
    const outcomes = el('span', 'strip');
    for (const run of strip) {
      const mark = el('i', `outcome-${run.action}`);
      mark.title = `${OUTCOME_LABEL[run.action] ?? run.action} ${when(run.end)} (${duration(run.runtime)})`;
      outcomes.append(mark);
    }
    for (const cell of [name, condition, status, next, last, outcomes]) cell.setAttribute('role', 'cell');
    row.append(name, condition, status, next, last, outcomes);
    return row;
  }
}

/**
 * The "Last run" cell, from the task's own state like its status: a running task's live run
 * (started when, running), else its last run with the duration of that same run when the log
 * has it. The log's runs never stand in for the task's state, which would show one run's time
 * next to another's duration, or a last run for a task whose status says it never ran.
 */
function lastRunCell(task, strip, now) {
  const live = task.isRunning ? task.runs?.[0] : undefined;
  if (task.isRunning) {
    const cell = el(
      'span',
      'last live',
      live === undefined ? 'running' : `started ${relative(live.started, now)}`,
    );
    if (live !== undefined) {
      cell.append(el('small', 'muted', ' · running'));
      cell.title = `running since ${when(live.started)}`;
    }
    return cell;
  }
  const cell = el('span', 'last', task.lastRun === null ? '' : relative(task.lastRun, now));
  cell.title = when(task.lastRun);
  const run = lastFinished(task, strip);
  if (run !== undefined && run.runtime !== null)
    cell.append(el('small', 'muted', ` · ${duration(run.runtime)}`));
  return cell;
}
