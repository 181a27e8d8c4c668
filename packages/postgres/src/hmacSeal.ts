import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Seal } from './readRelayed';

/**
 * HMAC-SHA256 over a relayed request's body. Signed with the first secret; any secret of the list
 * verifies, so secrets can be rotated (add the new one first, then drop the old). Without a
 * secret nothing is signed and everything verifies.
 */
export function hmacSeal(secrets: readonly string[]): Seal {
  const mac = (secret: string, body: string): Buffer => createHmac('sha256', secret).update(body).digest();
  return {
    sign: (body) => (secrets[0] === undefined ? '' : mac(secrets[0], body).toString('base64url')),
    verify: (body, signature) => {
      if (secrets.length === 0) return true;
      if (typeof signature !== 'string') return false;
      const given = Buffer.from(signature, 'base64url');
      return secrets.some((secret) => {
        const expected = mac(secret, body);
        return given.length === expected.length && timingSafeEqual(given, expected);
      });
    },
  };
}
