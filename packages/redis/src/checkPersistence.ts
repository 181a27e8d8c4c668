import { errorMessage } from '@apogee/core/internal';
import type { RedisNode } from './RedisNode';

/**
 * Warns when Redis keeps nothing across a restart (neither AOF nor RDB snapshots): a restarted
 * Redis is then empty, and a `daily` task that ran today runs again. Read with `CONFIG GET`; a
 * server with `CONFIG` disabled (managed services rename it) is asked `INFO persistence`, which
 * tells AOF but not whether snapshots are configured, so it warns only when it can tell.
 */
export async function checkPersistence(node: RedisNode): Promise<void> {
  const client = node.client;
  let aof: boolean;
  let rdb: boolean | undefined;
  try {
    const [, appendonly] = (await client.config('GET', 'appendonly')) as [string, string];
    const [, save] = (await client.config('GET', 'save')) as [string, string];
    aof = appendonly === 'yes';
    rdb = save.trim() !== '';
  } catch (configError) {
    try {
      aof = /^aof_enabled:1\b/m.test(await client.info('persistence'));
    } catch (error) {
      node.warnings.failed(
        'read whether Redis persists its data',
        `${errorMessage(configError)}; INFO persistence: ${errorMessage(error)}`,
        'Nothing was checked; make sure it keeps AOF or RDB snapshots.',
      );
      return;
    }
  }
  if (aof || rdb !== false) return;
  node.warnings.notice(
    'no persistence',
    'Redis keeps no persistence (appendonly no, save ""): a restart empties it, and the replicas ' +
      'then lose the history and may run a `daily` task again the same day. Turn on the ' +
      'append-only file (appendonly yes) or RDB snapshots (save 60 1000); see the README, "What survives what".',
    'APOGEE_STORE_NO_PERSISTENCE',
  );
}
