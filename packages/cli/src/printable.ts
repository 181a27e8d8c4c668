/**
 * Characters a terminal acts on instead of showing: C0 controls but newline and tab (ESC starts
 * the sequences that retitle or clear a terminal, BEL ends some), DEL, the C1 controls (U+009B is
 * a one-character CSI on some terminals), and the bidirectional overrides that reorder what is
 * shown.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every character a terminal would act on written as a `\uXXXX` escape, so that
 * whatever a run carries (an error message, a value, a task name, a progress message) is shown,
 * never obeyed. The escape is JSON's too: JSON output stays valid and reads back the same.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
