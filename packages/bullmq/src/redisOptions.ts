import type { Redis, RedisOptions } from 'ioredis';
import { ConfigurationError } from '@apogee/core';
import type { BullmqOptions } from './BullmqOptions';

const isInstance = (connection: RedisOptions | Redis): connection is Redis =>
  typeof (connection as Redis).duplicate === 'function';

/** `redis://user:password@host:port/db` as ioredis options. */
function fromUrl(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new ConfigurationError('bullmq({ url })', url, 'a URL such as redis://127.0.0.1:6379', {
      cause,
    });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new ConfigurationError('bullmq({ url })', url, 'a redis:// or rediss:// URL');
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname,
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(db === '' ? {} : { db: Number(db) }),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * The ioredis options every connection of the queue is made from. Each BullMQ part (queue, worker,
 * events) opens and closes its own connection from them; BullMQ's blocking reads need
 * `maxRetriesPerRequest: null`, set here whatever the caller gave.
 */
export function redisOptions(options: BullmqOptions): RedisOptions {
  const { url, connection, name } = options;
  if ((url === undefined) === (connection === undefined))
    throw new ConfigurationError(
      `bullmq({ name: '${name}' })`,
      { url, connection: connection === undefined ? undefined : 'given' },
      'exactly one of url (redis://host:port) and connection (ioredis options or instance)',
    );
  let base: RedisOptions;
  if (url !== undefined) base = fromUrl(url);
  else if (isInstance(connection as RedisOptions | Redis)) base = (connection as Redis).options;
  else base = connection as RedisOptions;
  return { ...base, maxRetriesPerRequest: null, lazyConnect: false };
}
