import type Database from 'better-sqlite3';
import type { OutputLevel, OutputLine } from '@apogee/core';
import { decodeOutputLine, encodeOutputLine } from '@apogee/core/internal';

interface OutputRow {
  at: number;
  level: OutputLevel;
  message: string;
  fields: string | null;
}

/**
 * The `run_output` table: each run's own output, one row per line in write order. Rows go with
 * the run's end record (a trigger), so retention needs no code for them.
 */
export class RunOutputTable {
  private readonly insert: (runId: string, lines: readonly OutputLine[]) => void;
  private readonly select: Database.Statement<[string], OutputRow>;

  constructor(db: Database.Database) {
    const row = db.prepare<[string, number, string, string, string | null]>(
      'INSERT INTO run_output (run_id, at, level, message, fields) VALUES (?, ?, ?, ?, ?)',
    );
    // One transaction per batch: one commit for a run's lines, not one each.
    this.insert = db.transaction((runId: string, lines: readonly OutputLine[]) => {
      for (const line of lines) {
        const stored = encodeOutputLine(line);
        row.run(runId, stored.at, stored.level, stored.message, stored.fields ?? null);
      }
    });
    this.select = db.prepare(
      'SELECT at, level, message, fields FROM run_output WHERE run_id = ? ORDER BY id',
    );
  }

  append(runId: string, lines: readonly OutputLine[]): void {
    this.insert(runId, lines);
  }

  read(runId: string): OutputLine[] {
    return this.select.all(runId).map((r) =>
      decodeOutputLine({
        at: r.at,
        level: r.level,
        message: r.message,
        ...(r.fields === null ? {} : { fields: r.fields }),
      }),
    );
  }
}
