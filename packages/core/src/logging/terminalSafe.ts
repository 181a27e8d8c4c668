/**
 * Control characters a terminal acts on: C0 (but newline and tab), DEL, C1, and the bidirectional
 * overrides and isolates that reorder what the reader sees.
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every terminal control written as a `\uXXXX` escape. A task's error message is data
 * from anywhere (a server's reply, a file): printed raw it could retitle the terminal, clear the
 * screen or hide text, so the default logger never prints a control character.
 */
export function terminalSafe(text: string): string {
  return text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
