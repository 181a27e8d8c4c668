import type { Redis } from 'ioredis';

/**
 * Closes a connection for good. ioredis reconnects a connection whose ready check fails, and a
 * `disconnect()` while it connects or runs that check makes it fail: the connection comes back
 * and keeps the process alive. So a connection still on its way up is closed once it is up (or
 * has failed), after it has sent what it queued meanwhile.
 */
export function disconnect(client: Redis): void {
  if (client.status !== 'connecting' && client.status !== 'connect') {
    client.disconnect();
    return;
  }
  const settled = (): void => {
    client.off('ready', settled);
    client.off('close', settled);
    setImmediate(() => {
      client.disconnect();
    });
  };
  client.once('ready', settled);
  client.once('close', settled);
}
