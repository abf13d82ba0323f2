// Integration credentials at rest (privacy policy: "encrypted with AES-256-GCM at rest"): a fresh
// random 96-bit IV for every encryption (NIST SP 800-38D §8.2.2), the 128-bit tag checked on every
// decryption, and the id of the key in the envelope so keys can rotate: the first key of
// ENCRYPTION_KEY encrypts, every listed key decrypts, and rotation re-encrypts what an older key
// sealed. The caller binds each envelope to where it belongs (associated data), so a sealed value
// copied into another facility's row does not open there.
//
// Envelope: "v1.<kid>.<iv>.<ciphertext>.<tag>", the three binary parts base64url.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface KeyRing {
  /** The key new envelopes are sealed with. */
  currentKid: string;
  keys: ReadonlyMap<string, Buffer>;
}

export class SecretBoxError extends Error {
  constructor(
    readonly reason: 'malformed' | 'unknown_key' | 'not_authentic',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parses ENCRYPTION_KEY: "kid:<base64 of 32 bytes>" entries separated by commas, the first the
 * current key ("k2:…,k1:…"). Throws a message fit for the boot error.
 */
export function parseKeyRing(value: string): KeyRing {
  const keys = new Map<string, Buffer>();
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (!entries.length) throw new Error('ENCRYPTION_KEY is empty');
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const kid = colon > 0 ? entry.slice(0, colon) : '';
    if (!KEY_ID.test(kid))
      throw new Error('each ENCRYPTION_KEY entry is "<key id>:<base64 of 32 bytes>", the key id letters, digits, _ or -');
    const b64 = entry.slice(colon + 1);
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64))
      throw new Error(`ENCRYPTION_KEY key "${kid}" must be 32 random bytes in base64 (openssl rand -base64 32)`);
    if (keys.has(kid)) throw new Error(`ENCRYPTION_KEY names key "${kid}" twice`);
    keys.set(kid, key);
  }
  return { currentKid: entries[0]!.slice(0, entries[0]!.indexOf(':')), keys };
}

/**
 * The key ring development and tests use when ENCRYPTION_KEY is unset (never production, where
 * env.ts requires the variable): one fixed, published key, so credentials survive a restart of a
 * demo. Anything sealed with it is readable by anyone with this source code.
 */
export const DEVELOPMENT_KEY_RING: KeyRing = {
  currentKid: 'dev',
  keys: new Map([['dev', createHash('sha256').update('packagetrack-pro development key: not secret').digest()]]),
};

const b64u = (b: Buffer) => b.toString('base64url');

export function seal(ring: KeyRing, plaintext: string, associatedData: string): string {
  const key = ring.keys.get(ring.currentKid);
  if (!key) throw new SecretBoxError('unknown_key', 'The current encryption key is missing from the key ring');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, ring.currentKid, b64u(iv), b64u(ciphertext), b64u(cipher.getAuthTag())].join('.');
}

/** The key id an envelope was sealed with (null when it is not an envelope). */
export function envelopeKid(envelope: string): string | null {
  const parts = envelope.split('.');
  return parts.length === 5 && parts[0] === VERSION ? parts[1]! : null;
}

export function open(ring: KeyRing, envelope: string, associatedData: string): string {
  const parts = envelope.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) throw new SecretBoxError('malformed', 'Not a sealed value');
  const [, kid, ivB64, ctB64, tagB64] = parts as [string, string, string, string, string];
  const key = ring.keys.get(kid);
  if (!key) throw new SecretBoxError('unknown_key', `Sealed with key "${kid}", which ENCRYPTION_KEY does not list`);
  const iv = Buffer.from(ivB64, 'base64url');
  const tag = Buffer.from(tagB64, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError('malformed', 'Not a sealed value');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(ctB64, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError('not_authentic', 'The sealed value was altered, or belongs elsewhere');
  }
}

/** Whether an envelope should be sealed again with the current key. */
export const needsRotation = (ring: KeyRing, envelope: string) => envelopeKid(envelope) !== ring.currentKid;
