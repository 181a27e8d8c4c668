import type pg from 'pg';
import { CODE_VERSION, MIGRATIONS } from './migrations';
import { PostgresSchemaError } from './PostgresSchemaError';

/**
 * Creates `schema` and brings it to {@link CODE_VERSION}, in one transaction under an advisory
 * lock, so that replicas starting together migrate once and a failed step leaves the schema as it
 * was. A schema at a newer version than this code is refused.
 */
export async function migrate(pool: pg.Pool, schema: string): Promise<void> {
  const s = `"${schema}"`;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`apogee.migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.meta (version int NOT NULL)`);
    const rows = (await client.query<{ version: number }>(`SELECT version FROM ${s}.meta`)).rows;
    const found = rows[0]?.version ?? 0;
    if (found > CODE_VERSION) throw new PostgresSchemaError(schema, found, CODE_VERSION);
    for (let version = found; version < CODE_VERSION; version++) {
      await client.query((MIGRATIONS[version] as (s: string) => string)(s));
    }
    if (rows.length === 0) await client.query(`INSERT INTO ${s}.meta (version) VALUES ($1)`, [CODE_VERSION]);
    else if (found < CODE_VERSION) await client.query(`UPDATE ${s}.meta SET version = $1`, [CODE_VERSION]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
