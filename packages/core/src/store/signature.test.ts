import { ConfigurationError } from '../errors/ConfigurationError';
import { relayPayload, signStored, storeSecrets, verifyStored } from './signStored';

const OLD = 'an-old-secret-of-32-characters!!';
const NEW = 'a-new-secret-of-32-characters!!!';

describe('signStored / verifyStored', () => {
  const payload = relayPayload({ kind: 'run', taskName: 'wipe', runId: 'r1', params: { customer: 'c1' } });

  it('verifies with any secret of the list, so secrets can be rotated', () => {
    const byOld = signStored([OLD], 'relay', payload);
    expect(verifyStored([NEW, OLD], 'relay', payload, byOld)).toBe(true);
    expect(verifyStored([NEW], 'relay', payload, byOld)).toBe(false);
  });

  it('refuses another payload, another purpose, and anything not a signature', () => {
    const signature = signStored([NEW], 'relay', payload);
    const other = relayPayload({ kind: 'run', taskName: 'wipe', runId: 'r1', params: { customer: 'c2' } });
    expect(verifyStored([NEW], 'relay', other, signature)).toBe(false);
    expect(verifyStored([NEW], 'job', payload, signature)).toBe(false);
    expect(verifyStored([NEW], 'relay', payload, 7)).toBe(false);
    expect(verifyStored([NEW], 'relay', payload, '')).toBe(false);
  });

  it("signs a backfill run's scheduledAt, and a run without one as before", () => {
    const plain = { kind: 'run', taskName: 'wipe', runId: 'r1', params: {} } as const;
    // The layout of a request without scheduledAt does not change: signatures already stored still verify.
    expect(relayPayload(plain)).toBe('["run","wipe","r1",{}]');
    const signature = signStored([NEW], 'relay', relayPayload({ ...plain, scheduledAt: 1000 }));
    expect(verifyStored([NEW], 'relay', relayPayload({ ...plain, scheduledAt: 1000 }), signature)).toBe(true);
    expect(verifyStored([NEW], 'relay', relayPayload({ ...plain, scheduledAt: 2000 }), signature)).toBe(
      false,
    );
    expect(verifyStored([NEW], 'relay', relayPayload(plain), signature)).toBe(false);
  });

  it('refuses short or empty secrets without printing them', () => {
    expect(() => storeSecrets('short', 'redis() secret')).toThrow(ConfigurationError);
    expect(() => storeSecrets([], 'redis() secret')).toThrow(ConfigurationError);
    expect(() => storeSecrets(['x'.repeat(16), 'short'], 'redis() secret')).toThrow(/a list of 2/);
    expect(storeSecrets(undefined, 'redis() secret')).toEqual([]);
  });
});
