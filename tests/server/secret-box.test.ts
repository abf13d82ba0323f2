// Integration credentials at rest: AES-256-GCM with a fresh IV per encryption, the tag checked, a key
// id in the envelope, and ENCRYPTION_KEY validated at boot.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../sync-server/src/env.ts';
import { envelopeKid, needsRotation, open, parseKeyRing, seal, SecretBoxError } from '../../sync-server/src/notifications/secret-box.ts';

const key = () => randomBytes(32).toString('base64');
const AD = 'integration:f1:slack';

function refused(fn: () => unknown, reason: SecretBoxError['reason']) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SecretBoxError);
    expect((e as SecretBoxError).reason).toBe(reason);
    return;
  }
  throw new Error('opened what it should have refused');
}

/** Flips one bit of one base64url part of an envelope. */
function tamper(envelope: string, part: 2 | 3 | 4): string {
  const parts = envelope.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[0]! ^= 1;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('secret box', () => {
  const ring = parseKeyRing(`k1:${key()}`);

  it('round-trips, with a fresh IV every time', () => {
    const secret = 'https://hooks.slack.com/services/T/B/secret ünïcode';
    const a = seal(ring, secret, AD);
    const b = seal(ring, secret, AD);
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
    expect(a).not.toContain('secret');
    expect(open(ring, a, AD)).toBe(secret);
    expect(open(ring, b, AD)).toBe(secret);
    expect(envelopeKid(a)).toBe('k1');
    expect(Buffer.from(a.split('.')[2]!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(a.split('.')[4]!, 'base64url')).toHaveLength(16);
  });

  it('refuses a tampered IV, ciphertext or tag', () => {
    const sealed = seal(ring, 'auth-token-1234', AD);
    refused(() => open(ring, tamper(sealed, 2), AD), 'not_authentic');
    refused(() => open(ring, tamper(sealed, 3), AD), 'not_authentic');
    refused(() => open(ring, tamper(sealed, 4), AD), 'not_authentic');
    refused(() => open(ring, sealed.split('.').slice(0, 4).join('.'), AD), 'malformed');
    refused(() => open(ring, 'plain text', AD), 'malformed');
    const shortTag = sealed.split('.');
    shortTag[4] = shortTag[4]!.slice(0, 8);
    refused(() => open(ring, shortTag.join('.'), AD), 'malformed');
  });

  it('refuses the wrong key, an unknown key id, and another row’s envelope', () => {
    const sealed = seal(ring, 'auth-token-1234', AD);
    const sameIdOtherKey = parseKeyRing(`k1:${key()}`);
    refused(() => open(sameIdOtherKey, sealed, AD), 'not_authentic');
    refused(() => open(parseKeyRing(`k2:${key()}`), sealed, AD), 'unknown_key');
    refused(() => open(ring, sealed, 'integration:f2:slack'), 'not_authentic');
    refused(() => open(ring, sealed, 'integration:f1:teams'), 'not_authentic');
  });

  it('the first key seals, every listed key opens; older envelopes need rotation', () => {
    const k1 = key();
    const old = parseKeyRing(`k1:${k1}`);
    const rotated = parseKeyRing(`k2:${key()}, k1:${k1}`);
    const before = seal(old, 'x', AD);
    expect(open(rotated, before, AD)).toBe('x');
    expect(needsRotation(rotated, before)).toBe(true);
    const after = seal(rotated, 'x', AD);
    expect(envelopeKid(after)).toBe('k2');
    expect(needsRotation(rotated, after)).toBe(false);
    refused(() => open(old, after, AD), 'unknown_key');
  });

  it('ENCRYPTION_KEY must be key ids with 32-byte base64 keys', () => {
    expect(() => parseKeyRing('')).toThrow(/empty/);
    expect(() => parseKeyRing(key())).toThrow(/key id/);
    expect(() => parseKeyRing(`k1:${randomBytes(16).toString('base64')}`)).toThrow(/32 random bytes/);
    expect(() => parseKeyRing(`k1:not base64!`)).toThrow(/32 random bytes/);
    expect(() => parseKeyRing(`k1:${key()},k1:${key()}`)).toThrow(/twice/);
    expect(() => parseKeyRing(`bad id:${key()}`)).toThrow(/key id/);
  });
});

describe('configuration', () => {
  const PRODUCTION = {
    NODE_ENV: 'production',
    APP_SECRET: 'x'.repeat(32),
    DATABASE_URL: 'postgres://db.internal/ptp',
    PUBLIC_ORIGIN: 'https://mail.example.com',
    ENCRYPTION_KEY: `k1:${key()}`,
  };

  it('production needs ENCRYPTION_KEY, a valid one, and never allows local webhooks', () => {
    expect(loadEnv(PRODUCTION).ENCRYPTION_KEY_RING.currentKid).toBe('k1');
    expect(() => loadEnv({ ...PRODUCTION, ENCRYPTION_KEY: '' })).toThrow(/ENCRYPTION_KEY: required when NODE_ENV=production/);
    expect(() => loadEnv({ ...PRODUCTION, ENCRYPTION_KEY: 'k1:short' })).toThrow(/ENCRYPTION_KEY: .*32 random bytes/);
    expect(() => loadEnv({ ...PRODUCTION, ALLOW_LOCAL_WEBHOOKS: 'true' })).toThrow(/ALLOW_LOCAL_WEBHOOKS/);
  });

  it('elsewhere, unset means the published development key; local webhooks only when asked', () => {
    const env = loadEnv({ NODE_ENV: 'test' });
    expect(env.ENCRYPTION_KEY_RING.currentKid).toBe('dev');
    expect(env.ALLOW_LOCAL_WEBHOOKS).toBe(false);
    expect(loadEnv({ NODE_ENV: 'test', ALLOW_LOCAL_WEBHOOKS: 'true' }).ALLOW_LOCAL_WEBHOOKS).toBe(true);
    expect(() => loadEnv({ NODE_ENV: 'test', TWILIO_API_BASE: 'not a url' })).toThrow(/TWILIO_API_BASE/);
  });
});
