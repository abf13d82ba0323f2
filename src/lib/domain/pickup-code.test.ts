import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CROCKFORD,
  findPickup,
  isPickupQr,
  newPickupKey,
  normalizePickupCode,
  pickupCodeFor,
  pickupQrPayload,
  type PickupPackage,
} from './pickup-code';

const KEY = 'x0xHcV2W7vT4r3c4NfJtq5Tq7HkU1c0Cq9m1mY0gq9A';
const OTHER_KEY = 'Bm3u2hD2b6p3d8Q1aVvE5nq0H6m4Qm7t0p2xKcLrZ0s';
const FAC = '0b6d8a2e-0000-4000-8000-000000000001';
const OTHER_FAC = '0b6d8a2e-0000-4000-8000-000000000002';
const ALICE = '1a000000-0000-4000-8000-000000000001';
const BOB = '1b000000-0000-4000-8000-000000000002';

let n = 0;
const pkg = (over: Partial<PickupPackage> = {}): PickupPackage => ({
  id: `9c000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  recipientId: ALICE,
  recipientName: 'Alice Archer',
  status: 'received',
  ...over,
});
const codeOf = (p: PickupPackage, key = KEY, facilityId = FAC) =>
  pickupCodeFor(key, { facilityId, recipientId: p.recipientId, recipientName: p.recipientName, packageId: p.id });

const uuid = fc.uuid();
const subject = fc.record({
  facilityId: uuid,
  recipientId: fc.option(uuid, { nil: null }),
  recipientName: fc.string({ minLength: 1, maxLength: 40 }),
  packageId: uuid,
});
const keyArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('base64url'));

describe('pickup codes', () => {
  it('are 8 Crockford base32 characters shown as XXXX-XXXX, the same every time', () => {
    fc.assert(
      fc.property(keyArb, subject, (key, s) => {
        const c = pickupCodeFor(key, s);
        expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
        expect(pickupCodeFor(key, s)).toBe(c);
      }),
    );
  });

  it('change with the key, the facility, the recipient and the package', () => {
    fc.assert(
      fc.property(keyArb, keyArb, subject, uuid, uuid, uuid, (k1, k2, s, f2, r2, p2) => {
        fc.pre(k1 !== k2 && f2 !== s.facilityId && r2 !== s.recipientId && p2 !== s.packageId);
        const c = pickupCodeFor(k1, s);
        // 40 bits: a collision among these four is a one in 2^38 event.
        expect(pickupCodeFor(k2, s)).not.toBe(c);
        expect(pickupCodeFor(k1, { ...s, facilityId: f2 })).not.toBe(c);
        expect(pickupCodeFor(k1, { ...s, recipientId: r2 })).not.toBe(c);
        expect(pickupCodeFor(k1, { ...s, packageId: p2 })).not.toBe(c);
      }),
    );
  });

  it('bind a package without a recipient record to its printed name, case and spacing aside', () => {
    const s = { facilityId: FAC, recipientId: null, recipientName: 'Zoë  Quinn', packageId: pkg().id };
    expect(pickupCodeFor(KEY, { ...s, recipientName: 'zoe quinn' })).toBe(pickupCodeFor(KEY, s));
    expect(pickupCodeFor(KEY, { ...s, recipientName: 'Zoe Quincy' })).not.toBe(pickupCodeFor(KEY, s));
  });

  it('read back from lower case, spaces, dashes, look-alike letters and the QR payload', () => {
    fc.assert(
      fc.property(keyArb, subject, fc.array(fc.constantFrom(' ', '-', ''), { minLength: 9, maxLength: 9 }), (key, s, seps) => {
        const c = pickupCodeFor(key, s);
        const raw = c.replace('-', '');
        const messy = [...raw].map((ch, i) => seps[i] + (i % 2 ? ch.toLowerCase() : ch)).join('') + seps[8];
        expect(normalizePickupCode(messy)).toBe(c);
        expect(normalizePickupCode(raw.replace(/0/g, 'O').replace(/1/g, 'l'))).toBe(c);
        expect(normalizePickupCode(raw.replace(/1/g, 'I').toLowerCase())).toBe(c);
        expect(normalizePickupCode(pickupQrPayload(c))).toBe(c);
        expect(normalizePickupCode(pickupQrPayload(c).toLowerCase())).toBe(c);
      }),
    );
    expect(pickupQrPayload('7k3m q9tx')).toBe('PTP1:7K3M-Q9TX');
    expect(isPickupQr('ptp1:7K3M-Q9TX')).toBe(true);
    expect(isPickupQr('1Z999AA10123456784')).toBe(false);
  });

  it('refuse what is not a code', () => {
    for (const bad of ['', 'ABCD-EFG', 'ABCD-EFGHJ', 'ABCD-EFGU', 'ABCD-EF!H', 'PTP2:ABCD-EFGH', '1Z999AA10123456784', 'ÄBCD-EFGH']) {
      expect(normalizePickupCode(bad), bad).toBeNull();
    }
    fc.assert(
      fc.property(fc.string(), (s) => {
        const c = normalizePickupCode(s);
        if (c !== null) expect(c).toMatch(new RegExp(`^[${CROCKFORD}]{4}-[${CROCKFORD}]{4}$`));
      }),
    );
  });
});

describe('finding the package of a code', () => {
  const a1 = pkg();
  const a2 = pkg({ status: 'held' });
  const a3 = pkg({ status: 'delivered' });
  const b1 = pkg({ recipientId: BOB, recipientName: 'Bob Baker' });
  const nameOnly = pkg({ recipientId: null, recipientName: 'Carol Cole' });
  const nameOnly2 = pkg({ recipientId: null, recipientName: 'carol  cole' });
  const gone = pkg({ deletedAt: '2026-11-01T00:00:00.000Z' });
  const returned = pkg({ status: 'returned', recipientId: BOB });
  const all = [a1, a2, a3, b1, nameOnly, nameOnly2, gone, returned];

  it('finds the package and every open package of its recipient', () => {
    const r = findPickup(KEY, FAC, codeOf(a2), all);
    expect(r).toMatchObject({ ok: true, recipientId: ALICE });
    if (!r.ok) throw new Error('refused');
    expect(r.package).toBe(a2);
    expect(r.openPackages).toEqual([a2, a1]);
    const byName = findPickup(KEY, FAC, codeOf(nameOnly).toLowerCase().replace('-', ' '), all);
    expect(byName.ok && byName.openPackages).toEqual([nameOnly, nameOnly2]);
    expect(byName.ok && byName.recipientId).toBeNull();
  });

  it('refuses a used code, a code of another facility or key, a typo and a deleted package', () => {
    expect(findPickup(KEY, FAC, codeOf(a3), all)).toMatchObject({ ok: false, code: 'already_collected', package: a3 });
    expect(findPickup(KEY, FAC, codeOf(returned), all)).toMatchObject({ ok: false, code: 'already_collected' });
    expect(findPickup(KEY, FAC, codeOf(a1, KEY, OTHER_FAC), all)).toMatchObject({ ok: false, code: 'unknown_code' });
    expect(findPickup(KEY, FAC, codeOf(a1, OTHER_KEY), all)).toMatchObject({ ok: false, code: 'unknown_code' });
    expect(findPickup(KEY, FAC, codeOf(gone), all)).toMatchObject({ ok: false, code: 'unknown_code' });
    const c = codeOf(a1);
    const typo = c.slice(0, 8) + (c[8] === 'Z' ? 'Y' : 'Z');
    expect(findPickup(KEY, FAC, typo, all)).toMatchObject({ ok: false, code: 'unknown_code' });
    expect(findPickup(KEY, FAC, 'no such thing', all)).toMatchObject({ ok: false, code: 'invalid_code' });
  });

  it('refuses a code of someone else than the recipient being served', () => {
    expect(findPickup(KEY, FAC, codeOf(b1), all, ALICE)).toMatchObject({ ok: false, code: 'other_recipient', package: b1 });
    expect(findPickup(KEY, FAC, codeOf(nameOnly), all, ALICE)).toMatchObject({ ok: false, code: 'other_recipient' });
    expect(findPickup(KEY, FAC, codeOf(a1), all, ALICE)).toMatchObject({ ok: true });
  });

  it('does not open anything with random codes', () => {
    const many = Array.from({ length: 300 }, (_, i) => pkg({ recipientId: i % 2 ? ALICE : BOB }));
    const known = new Set(many.map((p) => codeOf(p)));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CROCKFORD), { minLength: 8, maxLength: 8 }), (chars) => {
        const code = `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
        fc.pre(!known.has(code));
        expect(findPickup(KEY, FAC, code, many)).toMatchObject({ ok: false, code: 'unknown_code' });
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a code of another package, recipient or facility (any key)', () => {
    fc.assert(
      fc.property(keyArb, uuid, uuid, uuid, uuid, (key, fac, r1, r2, pid) => {
        fc.pre(r1 !== r2);
        const mine: PickupPackage = { id: pid, recipientId: r1, recipientName: 'Dana Diaz', status: 'received' };
        const code = (over: Partial<{ facilityId: string; recipientId: string; packageId: string }>) =>
          pickupCodeFor(key, { facilityId: fac, recipientId: r1, recipientName: 'Dana Diaz', packageId: pid, ...over });
        expect(findPickup(key, fac, code({}), [mine]).ok).toBe(true);
        expect(findPickup(key, fac, code({ recipientId: r2 }), [mine]).ok).toBe(false);
        expect(findPickup(key, fac, code({ packageId: r2 }), [mine]).ok).toBe(false);
        expect(findPickup(key, fac, code({ facilityId: r2 }), [mine]).ok).toBe(false);
      }),
    );
  });

  it('makes keys of 32 random bytes', () => {
    const k = newPickupKey();
    expect(k).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(k, 'base64url')).toHaveLength(32);
    expect(newPickupKey()).not.toBe(k);
  });
});

describe('the signed message', () => {
  it('is HMAC-SHA256 over version, facility, package and recipient as tagged fields (docs/sync.md)', async () => {
    const { createHmac } = await import('node:crypto');
    const uuidBytes = (u: string) => [0x75, 16, ...Buffer.from(u.replace(/-/g, ''), 'hex')];
    const p = pkg();
    const msg = Buffer.from([1, ...uuidBytes(FAC), ...uuidBytes(p.id), ...uuidBytes(ALICE)]);
    expect(msg).toHaveLength(55);
    const d = createHmac('sha256', Buffer.from(KEY, 'base64url')).update(msg).digest();
    let bits = 0n;
    for (let i = 0; i < 5; i++) bits = (bits << 8n) | BigInt(d[i]!);
    const raw = Array.from({ length: 8 }, (_, i) => CROCKFORD[Number((bits >> BigInt((7 - i) * 5)) & 31n)]).join('');
    expect(codeOf(p)).toBe(`${raw.slice(0, 4)}-${raw.slice(4)}`);
    const name = Buffer.from('carol cole');
    const byName = Buffer.from([1, ...uuidBytes(FAC), ...uuidBytes(p.id), 0x6e, 0x73, name.length, ...name]);
    const d2 = createHmac('sha256', Buffer.from(KEY, 'base64url')).update(byName).digest();
    const code2 = pickupCodeFor(KEY, { facilityId: FAC, recipientId: null, recipientName: ' Carol  COLE', packageId: p.id });
    let b2 = 0n;
    for (let i = 0; i < 5; i++) b2 = (b2 << 8n) | BigInt(d2[i]!);
    expect(code2.replace('-', '')).toBe(Array.from({ length: 8 }, (_, i) => CROCKFORD[Number((b2 >> BigInt((7 - i) * 5)) & 31n)]).join(''));
  });
});
