import { App, ConfigurationError, ManualLeadership } from '@apogee/core';
import { captureError } from '@apogee/test-utils';
import { Redis } from 'ioredis';
import { bullmq } from './bullmq';
import { redisOptions } from './redisOptions';

describe('bullmq()', () => {
  it('returns only its own key', () => {
    expect(Object.keys(bullmq({ url: 'redis://127.0.0.1:6379', name: 'billing' }))).toEqual(['queue']);
  });

  it('is a ConfigurationError without redis(): an app with no leader lease', () => {
    const error = captureError(
      () => new App({ ...bullmq({ url: 'redis://127.0.0.1:6379', name: 'billing' }) }),
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain("new App({ ...bullmq({ name: 'billing' }) })");
    expect((error as Error).message).toContain("...redis({ url, name }) from '@apogee/redis'");
    expect(
      () =>
        new App({
          leadership: new ManualLeadership(true),
          ...bullmq({ url: 'redis://127.0.0.1:6379', name: 'billing' }),
        }),
    ).not.toThrow();
  });

  it('refuses a name with a colon, a bad concurrency, and both or neither of url and connection', () => {
    expect(() => bullmq({ url: 'redis://127.0.0.1:6379', name: 'a:b' })).toThrow(ConfigurationError);
    expect(() => bullmq({ url: 'redis://127.0.0.1:6379', name: 'a', concurrency: 1.5 })).toThrow(
      /concurrency: 1.5 is not valid/,
    );
    expect(() => bullmq({ name: 'a' })).toThrow(/exactly one of url/);
    expect(() => bullmq({ name: 'a', url: 'redis://x', connection: {} })).toThrow(/exactly one of url/);
    expect(() => bullmq({ name: 'a', url: 'http://x' })).toThrow(/a redis:\/\/ or rediss:\/\/ URL/);
  });

  it("sets BullMQ's maxRetriesPerRequest: null on a URL, options or an ioredis instance", () => {
    expect(redisOptions({ name: 'a', url: 'redis://u:p%40ss@10.0.0.1:6380/2' })).toMatchObject({
      host: '10.0.0.1',
      port: 6380,
      username: 'u',
      password: 'p@ss',
      db: 2,
      maxRetriesPerRequest: null,
    });
    expect(redisOptions({ name: 'a', connection: { port: 7000, maxRetriesPerRequest: 3 } })).toMatchObject({
      port: 7000,
      maxRetriesPerRequest: null,
    });
    const instance = new Redis({ port: 7001, lazyConnect: true });
    expect(redisOptions({ name: 'a', connection: instance })).toMatchObject({
      port: 7001,
      maxRetriesPerRequest: null,
    });
    instance.disconnect();
  });
});
