import type { Calendar } from './Calendar';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `08:00:02` (or `08:00` on a whole minute) in the calendar's zone. */
export function wallClockText(instant: number, calendar: Calendar): string {
  const w = calendar.wall(instant);
  const hm = `${pad(w.hour)}:${pad(w.minute)}`;
  return w.second === 0 && w.millisecond === 0 ? hm : `${hm}:${pad(w.second)}`;
}

/** `2026-12-01 08:00` (with seconds when not on a whole minute) in the calendar's zone. */
export function wallText(instant: number, calendar: Calendar): string {
  const w = calendar.wall(instant);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${wallClockText(instant, calendar)}`;
}
