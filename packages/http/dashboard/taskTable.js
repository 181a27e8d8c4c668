import { duration, el, OUTCOME_LABEL, relative, taskState, when } from './format.js';

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
    const lastRun = strip[strip.length - 1];
    const name = el('span', 'name', task.name);
    name.title = task.name;
    const condition = el('span', 'condition', task.start);
    condition.title = task.start;
    const status = el(
      'span',
      `status status-${state}`,
      state === 'never' ? 'never run' : (OUTCOME_LABEL[state] ?? state),
    );
    const next = el('span', 'next', task.disabled ? '' : relative(task.nextRun, now));
    next.title = when(task.nextRun);
    // This process knows the runs it made; a persistent log may know older ones.
    const lastAt = task.lastRun ?? lastRun?.end ?? null;
    const last = el('span', 'last', lastAt === null ? '' : relative(lastAt, now));
    last.title = when(lastAt);
    if (lastRun !== undefined && lastRun.runtime !== null)
      last.append(el('small', 'muted', ` · ${duration(lastRun.runtime)}`));
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
