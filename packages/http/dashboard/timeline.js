import uPlot from './vendor/uPlot.esm.js';
import { duration, el, OUTCOME_LABEL, when } from './format.js';

export const COLORS = {
  success: '#2e9d57',
  fail: '#d64545',
  terminate: '#e0a030',
  inaction: '#9aa0a8',
  crash: '#8e44ad',
  run: '#3b82f6',
};
/** Which outcome colours a cell holding several: the one that most needs a look. */
const WORST_FIRST = ['crash', 'fail', 'terminate', 'run', 'success', 'inaction'];
const LANE_HEIGHT = 26;
const MIN_WINDOW = 3_600_000;

/**
 * The timeline: one lane per task, each run a bar coloured by how it ended, drawn on uPlot's canvas
 * with its time axis, cursor and drag selection. A lane with many runs arrives from the server as
 * cells (counts per slice of time) and is drawn as such, so the work per frame is bounded by lanes
 * times cells however many runs the log holds.
 */
export class Timeline {
  constructor(container, { onZoom, onSelectRun }) {
    this.container = container;
    this.onZoom = onZoom;
    this.onSelectRun = onSelectRun;
    this.data = { from: Date.now() - 86_400_000, to: Date.now(), buckets: 1, outcomes: [], lanes: [] };
    this.hovered = undefined;
    this.tooltip = el('div', 'tooltip');
    this.tooltip.hidden = true;
    const names = () => this.data.lanes.map((l) => l.task);
    this.plot = new uPlot(
      {
        width: Math.max(300, container.clientWidth),
        height: this.height(),
        padding: [6, 12, 0, 0],
        legend: { show: false },
        scales: {
          x: { time: true, auto: false, range: () => [this.data.from / 1000, this.data.to / 1000] },
          y: { auto: false, range: () => [0, Math.max(1, this.data.lanes.length)] },
        },
        axes: [
          { stroke: '#555', grid: { stroke: '#eee', width: 1 }, values: (_u, splits) => splits.map(clock) },
          {
            size: 170,
            stroke: '#333',
            grid: { show: false },
            ticks: { show: false },
            splits: () => names().map((_, i) => names().length - i - 0.5),
            values: (_u, splits) =>
              splits.map((s) => {
                const name = names()[names().length - s - 0.5] ?? '';
                return name.length > 24 ? `${name.slice(0, 23)}…` : name;
              }),
          },
        ],
        series: [{}, { show: false }],
        cursor: { y: false, points: { show: false }, drag: { x: true, y: false, setScale: false } },
        hooks: {
          draw: [(u) => this.draw(u)],
          setSelect: [(u) => this.selected(u)],
          setCursor: [(u) => this.hover(u)],
        },
      },
      [
        [this.data.from / 1000, this.data.to / 1000],
        [null, null],
      ],
      container,
    );
    this.plot.over.append(this.tooltip);
    this.plot.over.addEventListener('click', () => {
      if (this.hovered?.run !== undefined) this.onSelectRun(this.hovered.task, this.hovered.run.runId);
    });
    new ResizeObserver(() => this.resize()).observe(container);
  }

  height() {
    return Math.max(3, this.data.lanes.length) * LANE_HEIGHT + 40;
  }

  resize() {
    const width = Math.max(300, this.container.clientWidth);
    if (width !== this.plot.width || this.height() !== this.plot.height)
      this.plot.setSize({ width, height: this.height() });
  }

  /** Shows an answer of `GET /timeline`. */
  show(data) {
    this.data = data;
    this.container.dataset.lanes = String(data.lanes.length);
    this.container.dataset.buckets = String(data.buckets);
    this.container.dataset.from = String(data.from);
    this.container.dataset.to = String(data.to);
    this.container.dataset.aggregated = String(data.lanes.filter((l) => l.cells !== undefined).length);
    this.resize();
    this.plot.setData(
      [
        [data.from / 1000, data.to / 1000],
        [null, null],
      ],
      false,
    );
    this.plot.setScale('x', { min: data.from / 1000, max: data.to / 1000 });
    this.plot.setScale('y', { min: 0, max: Math.max(1, data.lanes.length) });
  }

  laneBox(u, index) {
    const n = this.data.lanes.length;
    const top = u.valToPos(n - index, 'y', true);
    const bottom = u.valToPos(n - index - 1, 'y', true);
    const pad = (bottom - top) * 0.18;
    return { top: top + pad, height: bottom - top - 2 * pad };
  }

  draw(u) {
    const { ctx } = u;
    const ratio = uPlot.pxRatio;
    const now = Date.now();
    let bars = 0;
    let cells = 0;
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    const x = (ms) => u.valToPos(ms / 1000, 'x', true);
    this.data.lanes.forEach((lane, index) => {
      const { top, height } = this.laneBox(u, index);
      ctx.fillStyle = index % 2 === 0 ? '#fafbfc' : '#f3f5f7';
      ctx.fillRect(u.bbox.left, top - height * 0.2, u.bbox.width, height * 1.4);
      for (const run of lane.runs ?? []) {
        const left = x(run.start);
        const width = Math.max(2 * ratio, x(run.end ?? now) - left);
        ctx.fillStyle = COLORS[run.action] ?? '#555';
        ctx.fillRect(left, top, width, height);
        bars++;
      }
      const span = (this.data.to - this.data.from) / this.data.buckets;
      for (const cell of lane.cells ?? []) {
        const [i] = cell;
        const left = x(this.data.from + i * span);
        const width = Math.max(ratio, x(this.data.from + (i + 1) * span) - left);
        ctx.fillStyle = COLORS[worst(cell, this.data.outcomes)] ?? '#555';
        ctx.fillRect(left, top, width, height);
        cells++;
      }
    });
    ctx.restore();
    this.container.dataset.bars = String(bars);
    this.container.dataset.cells = String(cells);
  }

  /** A drag across the chart zooms to it, to one hour at the least. */
  selected(u) {
    if (u.select.width < 3) return;
    let from = u.posToVal(u.select.left, 'x') * 1000;
    let to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    if (to - from < MIN_WINDOW) {
      const middle = (from + to) / 2;
      from = middle - MIN_WINDOW / 2;
      to = middle + MIN_WINDOW / 2;
    }
    this.onZoom(Math.round(from), Math.round(to));
  }

  hover(u) {
    const { left, top } = u.cursor;
    this.hovered = undefined;
    if (left === undefined || left < 0 || top === undefined || top < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const n = this.data.lanes.length;
    const index = n - 1 - Math.floor(u.posToVal(top, 'y'));
    const lane = this.data.lanes[index];
    if (lane === undefined) {
      this.tooltip.hidden = true;
      return;
    }
    const at = u.posToVal(left, 'x') * 1000;
    const slack = ((this.data.to - this.data.from) / u.bbox.width) * uPlot.pxRatio * 3;
    const now = Date.now();
    const lines = [lane.task];
    const run = (lane.runs ?? []).find((r) => r.start - slack <= at && at <= (r.end ?? now) + slack);
    if (run !== undefined) {
      this.hovered = { task: lane.task, run };
      const end = run.end ?? now;
      lines.push(`${OUTCOME_LABEL[run.action] ?? run.action}${run.end === null ? ' (still running)' : ''}`);
      lines.push(
        `${when(run.start)} → ${run.end === null ? 'now' : when(run.end)}`,
        `took ${duration(end - run.start)}`,
        `run ${run.runId} (click for detail)`,
      );
    } else {
      const span = (this.data.to - this.data.from) / this.data.buckets;
      const i = Math.floor((at - this.data.from) / span);
      const cell = (lane.cells ?? []).find((c) => c[0] === i);
      if (cell === undefined) {
        this.tooltip.hidden = true;
        return;
      }
      lines.push(`${when(this.data.from + i * span)} → ${when(this.data.from + (i + 1) * span)}`);
      this.data.outcomes.forEach((outcome, k) => {
        if (cell[k + 1] > 0) lines.push(`${cell[k + 1]} ${OUTCOME_LABEL[outcome] ?? outcome}`);
      });
    }
    this.tooltip.textContent = lines.join('\n');
    this.tooltip.hidden = false;
    const right = left > u.over.clientWidth / 2;
    this.tooltip.style.left = right ? '' : `${left + 12}px`;
    this.tooltip.style.right = right ? `${u.over.clientWidth - left + 12}px` : '';
    this.tooltip.style.top = `${top + 12}px`;
  }
}

/** A tick of the time axis: the 24-hour clock, with the date under the first tick and at midnight. */
function clock(seconds, index) {
  const date = new Date(seconds * 1000);
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
  const midnight = date.getHours() === 0 && date.getMinutes() === 0;
  return index === 0 || midnight
    ? `${time}\n${date.toLocaleDateString([], { month: 'short', day: 'numeric' })}`
    : time;
}

function worst(cell, outcomes) {
  for (const outcome of WORST_FIRST) {
    const k = outcomes.indexOf(outcome);
    if (k >= 0 && cell[k + 1] > 0) return outcome;
  }
  return 'success';
}
