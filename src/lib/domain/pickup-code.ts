// Recipient pickup codes (SPEC "Packages"; docs/sync.md "Pickup codes"). Every received package has
// a short code the recipient shows at the desk, read aloud or as a QR. A device checks it with no
// network: the code is an HMAC-SHA256, under the facility's pickup key, of the facility, the
// recipient (or the printed name when the package has none) and the package, cut to 40 bits and
// written as 8 characters of Crockford base32 (`XXXX-XXXX`). Without the key a code cannot be
// guessed better than one chance in 2^40 per try; a code names one package, so once that package is
// delivered or returned the code opens nothing more. Runs in the browser, the service worker and
// on the server (synchronous: pure-JS SHA-256).
import { SHA256 } from '@oslojs/crypto/sha2';
import { decodeBase64urlIgnorePadding } from '@oslojs/encoding';
import type { PackageRow } from './sync/rows';

/** Crockford's base32: digits and capitals without I, L, O and U. */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters in a code (5 bits each: 40 bits). */
export const PICKUP_CODE_LENGTH = 8;
/** What a pickup QR carries: this prefix and the formatted code (QR alphanumeric mode, 14 characters). */
export const PICKUP_QR_PREFIX = 'PTP1:';

/** The fields of a package a code is bound to. */
export interface PickupSubject {
  facilityId: string;
  recipientId: string | null | undefined;
  /** The name printed on the label: binds the code when the package has no recipient record. */
  recipientName: string;
  packageId: string;
}

/** The package columns finding a code reads. */
export type PickupPackage = Pick<PackageRow, 'id' | 'recipientId' | 'recipientName' | 'status'> & {
  deletedAt?: string | null;
};

/** Names bind the way people read them: case, spacing and accents aside. */
const normaliseName = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase('en').replace(/\s+/g, ' ').trim();

const encoder = new TextEncoder();

/** HMAC-SHA256 (RFC 2104) with the key's padded blocks made once per key. */
interface MacKey {
  ipad: Uint8Array;
  opad: Uint8Array;
}
const macKeys = new Map<string, MacKey>();

function macKey(key: string): MacKey {
  let k = macKeys.get(key);
  if (!k) {
    const bytes = decodeBase64urlIgnorePadding(key);
    if (bytes.length < 16 || bytes.length > 64) throw new Error('A pickup key has 16 to 64 bytes');
    const ipad = new Uint8Array(64).fill(0x36);
    const opad = new Uint8Array(64).fill(0x5c);
    for (let i = 0; i < bytes.length; i++) {
      ipad[i]! ^= bytes[i]!;
      opad[i]! ^= bytes[i]!;
    }
    k = { ipad, opad };
    if (macKeys.size > 16) macKeys.clear();
    macKeys.set(key, k);
  }
  return k;
}

function hmacSha256(k: MacKey, message: Uint8Array): Uint8Array {
  const inner = new SHA256();
  inner.update(k.ipad);
  inner.update(message);
  const outer = new SHA256();
  outer.update(k.opad);
  outer.update(inner.digest());
  return outer.digest();
}

const isUuid = (v: string) =>
  v.length === 36 && v[8] === '-' && v[13] === '-' && v[18] === '-' && v[23] === '-' && /^[0-9a-f-]{36}$/i.test(v);

const hexValue = (c: number) => (c <= 57 ? c - 48 : (c | 32) - 87);

/** One field of the signed message: a tag, its length, its bytes (a UUID as its 16 bytes). */
function field(out: number[], value: string) {
  if (isUuid(value)) {
    out.push(0x75, 16);
    for (let i = 0; i < 36; i += 2) {
      if (value.charCodeAt(i) === 45) i++;
      out.push((hexValue(value.charCodeAt(i)) << 4) | hexValue(value.charCodeAt(i + 1)));
    }
    return;
  }
  const bytes = encoder.encode(value);
  if (bytes.length > 255) throw new Error('A pickup code field is at most 255 bytes');
  out.push(0x73, bytes.length, ...bytes);
}

/**
 * The message a code signs: a version byte, then facility, package and recipient as tagged,
 * length-prefixed fields (no two subjects share a message). With three UUIDs it is 55 bytes, so
 * the inner hash takes one SHA-256 block after the key's.
 */
function message(s: PickupSubject): Uint8Array {
  const out: number[] = [1];
  field(out, s.facilityId);
  field(out, s.packageId);
  if (s.recipientId) field(out, s.recipientId);
  else {
    out.push(0x6e); // a printed name, not a recipient record
    field(out, normaliseName(s.recipientName).slice(0, 120));
  }
  return Uint8Array.from(out);
}

/** The code's 8 characters, unformatted: the first 40 bits of the HMAC, 5 bits a character. */
function rawCode(key: string, s: PickupSubject): string {
  const d = hmacSha256(macKey(key), message(s));
  // 40 bits do not fit a 32-bit integer: the first 20 and the last 20.
  const hi = (d[0]! << 12) | (d[1]! << 4) | (d[2]! >> 4);
  const lo = ((d[2]! & 15) << 16) | (d[3]! << 8) | d[4]!;
  return (
    CROCKFORD[(hi >> 15) & 31]! +
    CROCKFORD[(hi >> 10) & 31]! +
    CROCKFORD[(hi >> 5) & 31]! +
    CROCKFORD[hi & 31]! +
    CROCKFORD[(lo >> 15) & 31]! +
    CROCKFORD[(lo >> 10) & 31]! +
    CROCKFORD[(lo >> 5) & 31]! +
    CROCKFORD[lo & 31]!
  );
}

/** `ABCDEFGH` → `ABCD-EFGH`. */
export const formatPickupCode = (raw: string) => `${raw.slice(0, 4)}-${raw.slice(4)}`;

/** A package's pickup code, formatted `XXXX-XXXX`. */
export function pickupCodeFor(key: string, subject: PickupSubject): string {
  return formatPickupCode(rawCode(key, subject));
}

/** The QR payload of a code (`PTP1:XXXX-XXXX`). */
export const pickupQrPayload = (code: string) => `${PICKUP_QR_PREFIX}${normalizePickupCode(code) ?? code}`;

/** Whether scanned text is a pickup QR (not a tracking barcode), so a scanner can route it. */
export const isPickupQr = (text: string) => text.trim().toUpperCase().startsWith(PICKUP_QR_PREFIX);

const LOOK_ALIKES: Record<string, string> = { O: '0', I: '1', L: '1' };

/**
 * What a person typed or a camera read, as a formatted code (`XXXX-XXXX`), or null when it is not
 * one. Accepts lower case, spaces and dashes anywhere, O for 0 and I or L for 1, and the QR payload.
 */
export function normalizePickupCode(input: string): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  let s = input.trim().toUpperCase();
  if (s.startsWith(PICKUP_QR_PREFIX)) s = s.slice(PICKUP_QR_PREFIX.length);
  s = s.replace(/[\s\-\u2010-\u2015]/g, '');
  if (s.length !== PICKUP_CODE_LENGTH) return null;
  let out = '';
  for (const ch of s) {
    const c = LOOK_ALIKES[ch] ?? ch;
    if (!CROCKFORD.includes(c)) return null;
    out += c;
  }
  return formatPickupCode(out);
}

export type PickupRefusal = 'invalid_code' | 'unknown_code' | 'already_collected' | 'other_recipient';

export type PickupResult<P extends PickupPackage = PickupPackage> =
  | {
      ok: true;
      /** The package the code was made for. */
      package: P;
      /** Its recipient (null when the package only carries a printed name). */
      recipientId: string | null;
      /** Every open (received or held) package of that recipient, the coded one first. */
      openPackages: P[];
    }
  | { ok: false; code: PickupRefusal; message: string; package?: P };

export const PICKUP_REFUSALS: Record<PickupRefusal, string> = {
  invalid_code: 'That is not a pickup code: it has 8 letters and digits, like 7K3M-Q9TX',
  unknown_code: 'No package here has this pickup code. Check it, or look the recipient up by name',
  already_collected: 'This pickup code was already used: its package has been handed over or returned',
  other_recipient: 'This pickup code belongs to someone else, not to the recipient you are serving',
};

const refuse = <P extends PickupPackage>(code: PickupRefusal, pkg?: P): PickupResult<P> => ({
  ok: false,
  code,
  message: PICKUP_REFUSALS[code],
  ...(pkg ? { package: pkg } : {}),
});

const isOpen = (p: PickupPackage) => p.status === 'received' || p.status === 'held';

// Codes already computed, per key and facility, by package: a desk checks many codes against the
// same packages, and a package's code only changes when its recipient does (checked on reuse).
const codeCache = new Map<string, Map<string, { who: string; code: string }>>();

function cachedCode(key: string, facilityId: string, p: PickupPackage): string {
  const scope = `${key}\0${facilityId}`;
  let codes = codeCache.get(scope);
  if (!codes) {
    if (codeCache.size > 8) codeCache.clear();
    codes = new Map();
    codeCache.set(scope, codes);
  }
  const who = p.recipientId || `\0${p.recipientName}`;
  const hit = codes.get(p.id);
  if (hit && hit.who === who) return hit.code;
  const code = rawCode(key, { facilityId, recipientId: p.recipientId, recipientName: p.recipientName, packageId: p.id });
  if (codes.size >= 100_000) codes.clear();
  codes.set(p.id, { who, code });
  return code;
}

/**
 * Computes the codes of `packages` ahead of a check (e.g. while the app is idle after it opens),
 * so the first check at the desk only compares.
 */
export function warmPickupCodes(key: string, facilityId: string, packages: Iterable<PickupPackage>) {
  for (const p of packages) if (!p.deletedAt) cachedCode(key, facilityId, p);
}

/** Whether two packages belong to the same recipient (by record, else by printed name). */
export function sameRecipient(a: PickupPackage, b: PickupPackage): boolean {
  if (a.recipientId || b.recipientId) return a.recipientId === b.recipientId;
  return normaliseName(a.recipientName) === normaliseName(b.recipientName);
}

/**
 * The package a code belongs to among `packages` (the device's live rows of this facility), with
 * every open package of its recipient so they are handed over together. Open packages are checked
 * before closed ones; a code of a delivered or returned package is `already_collected`. With
 * `servingRecipientId`, a code of another recipient is `other_recipient`.
 */
export function findPickup<P extends PickupPackage>(
  key: string,
  facilityId: string,
  code: string,
  packages: Iterable<P>,
  servingRecipientId?: string | null,
): PickupResult<P> {
  const wanted = normalizePickupCode(code)?.replace('-', '');
  if (!wanted) return refuse('invalid_code');
  const all = [...packages].filter((p) => !p.deletedAt);
  let found: P | undefined;
  for (const p of all) if (isOpen(p) && cachedCode(key, facilityId, p) === wanted) found ??= p;
  if (!found) {
    for (const p of all) {
      if (!isOpen(p) && cachedCode(key, facilityId, p) === wanted) return refuse('already_collected', p);
    }
    return refuse('unknown_code');
  }
  if (servingRecipientId && found.recipientId !== servingRecipientId) return refuse('other_recipient', found);
  const f = found;
  const others = all.filter((p) => p !== f && isOpen(p) && sameRecipient(p, f));
  return { ok: true, package: f, recipientId: f.recipientId ?? null, openPackages: [f, ...others] };
}

/** A new facility pickup key: 32 random bytes, base64url without padding. */
export function newPickupKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(32));
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
