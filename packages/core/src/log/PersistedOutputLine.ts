import { errorMessage } from '../errors/errorMessage';
import type { OutputLevel, OutputLine } from './OutputLine';

/** The levels a line of run output may have, in increasing seriousness. */
export const OUTPUT_LEVELS: readonly OutputLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * A line of run output as persistent logs store it (SQLite in its columns, Redis and Postgres as
 * JSON): the time in ms, the fields as JSON text.
 */
export interface PersistedOutputLine {
  readonly at: number;
  readonly level: OutputLevel;
  readonly message: string;
  /** JSON of the fields, when the line has any. */
  readonly fields?: string | undefined;
}

/**
 * A line as stored. Fields JSON cannot hold (a cycle, a BigInt) are replaced by a note saying so:
 * the line itself is kept.
 */
export function encodeOutputLine(line: OutputLine): PersistedOutputLine {
  const stored = { at: line.at.getTime(), level: line.level, message: line.message };
  if (line.fields === undefined) return stored;
  let fields: string | undefined;
  try {
    fields = JSON.stringify(line.fields);
  } catch (error) {
    fields = JSON.stringify({ unstorable: `the fields are not JSON (${errorMessage(error)})` });
  }
  return fields === undefined ? stored : { ...stored, fields };
}

/** A stored line back as the run wrote it (its `fields` checked as JSON text already). */
export function decodeOutputLine(stored: PersistedOutputLine): OutputLine {
  const line = { at: new Date(stored.at), level: stored.level, message: stored.message };
  return stored.fields === undefined
    ? line
    : { ...line, fields: JSON.parse(stored.fields) as Record<string, unknown> };
}
