import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, eventHash, refusedHandOffEvidence, sealEvents, verifyChain, type StoredCustodyEvent } from './custody';
import type { PackageEventRow } from './sync/rows';

const FACILITY = '7d4f3a4e-59b6-4e9b-9f3e-0c1d2e3f4a5b';
const PACKAGE = '0b6c2f9e-1a2b-4c3d-8e9f-a0b1c2d3e4f5';

let n = 0;
const uuid = () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;

function row(type: string, data: Record<string, unknown> = {}, over: Partial<PackageEventRow> = {}): PackageEventRow {
  return {
    id: uuid(),
    packageId: PACKAGE,
    type,
    data,
    actorId: uuid(),
    clientId: uuid(),
    mutationId: n,
    at: new Date(Date.UTC(2026, 10, 29, 9, 0, n)).toISOString(),
    recordedAt: new Date(Date.UTC(2026, 10, 29, 9, 0, n, 500)).toISOString(),
    version: n,
    deletedAt: null,
    ...over,
  };
}

const stored = (events: PackageEventRow[]): StoredCustodyEvent[] =>
  sealEvents(FACILITY, events, new Map()).map((e) => ({ ...e, facilityId: FACILITY }));

const history = () =>
  stored([
    row('received', { carrier: 'ups', trackingNumber: '1Z999' }),
    row('held', { note: 'Signature needed', reason: 'signature_needed' }),
    row('delivered', { deliveredTo: 'Ada Lovelace', fromStatus: 'held', signatureHash: 'a'.repeat(64) }),
  ]);

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: null }], c: 'é' } })).toBe(
      '{"a":{"c":"é","d":[1,{"x":null,"z":1}]},"b":1}',
    );
  });
  it('gives the same text whatever the key order (as jsonb hands objects back reordered)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        const reparsed = JSON.parse(JSON.stringify(obj));
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(canonicalJson(reparsed)).toBe(canonicalJson(obj));
      }),
    );
  });
});

describe('eventHash and sealEvents', () => {
  it('numbers a package’s events 1, 2, … and links each to the previous hash', () => {
    const chain = history();
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(chain[0]!.prevHash).toBeNull();
    expect(chain[1]!.prevHash).toBe(chain[0]!.hash);
    expect(chain[2]!.prevHash).toBe(chain[1]!.hash);
    for (const e of chain) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('continues after the stored head, per package', () => {
    const other = '11111111-2222-4333-8444-555555555555';
    const sealed = sealEvents(
      FACILITY,
      [row('held'), row('received', {}, { packageId: other }), row('delivered')],
      new Map([[PACKAGE, { seq: 4, hash: 'f'.repeat(64) }]]),
    );
    expect(sealed.map((e) => [e.packageId === PACKAGE, e.seq])).toEqual([
      [true, 5],
      [false, 1],
      [true, 6],
    ]);
    expect(sealed[0]!.prevHash).toBe('f'.repeat(64));
    expect(sealed[2]!.prevHash).toBe(sealed[0]!.hash);
  });

  it('hashes times as UTC instants whatever their written form', () => {
    const e = { ...row('received'), facilityId: FACILITY, seq: 1, at: '2026-11-29T10:00:00+01:00' };
    expect(eventHash(e, null)).toBe(eventHash({ ...e, at: new Date('2026-11-29T09:00:00.000Z') }, null));
    expect(eventHash(e, null)).not.toBe(eventHash({ ...e, at: '2026-11-29T09:00:00.001Z' }, null));
  });
});

describe('verifyChain', () => {
  it('verifies an untouched chain, in any order it is handed over', () => {
    const chain = history();
    expect(verifyChain(chain)).toEqual({ verified: true, unsealed: 0 });
    expect(verifyChain([...chain].reverse()).verified).toBe(true);
    expect(verifyChain([]).verified).toBe(true);
  });

  it('fails when an event in the middle is removed', () => {
    const chain = history();
    expect(verifyChain([chain[0]!, chain[2]!])).toMatchObject({ verified: false, brokenAt: 2 });
  });

  it('fails when two events swap places', () => {
    const [a, b, c] = history();
    expect(verifyChain([a!, { ...c!, seq: 2 }, { ...b!, seq: 3 }]).verified).toBe(false);
    expect(verifyChain([{ ...b!, seq: 1 }, { ...a!, seq: 2 }, c!]).verified).toBe(false);
  });

  it('fails when a sealed event loses its link after the chain began', () => {
    const chain = history();
    const stripped = { ...chain[2]!, seq: null, hash: null, prevHash: null };
    expect(verifyChain([chain[0]!, chain[1]!, stripped])).toMatchObject({ verified: false, brokenAt: 3 });
    expect(verifyChain([chain[0]!, chain[1]!, { ...chain[2]!, hash: null }]).verified).toBe(false);
  });

  it('reports events recorded before the custody log began without failing the chain after them', () => {
    const old = { ...row('received'), version: 0, facilityId: FACILITY, seq: null, hash: null, prevHash: null };
    const chain = history();
    expect(verifyChain([old, ...chain])).toEqual({ verified: true, unsealed: 1 });
  });

  it('fails on any single-field change of any event (property)', () => {
    const fields = [
      'id',
      'facilityId',
      'packageId',
      'seq',
      'type',
      'data',
      'actorId',
      'clientId',
      'mutationId',
      'at',
      'recordedAt',
      'hash',
      'prevHash',
    ] as const;
    const arbEvent = fc.record({
      type: fc.constantFrom('received', 'held', 'delivered', 'returned', 'updated', 'reopened', 'handoff_refused'),
      data: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
      actorId: fc.option(fc.uuid(), { nil: null }),
      clientId: fc.option(fc.uuid(), { nil: null }),
      mutationId: fc.option(fc.nat(), { nil: null }),
      at: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
      recordedAt: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
    });
    fc.assert(
      fc.property(
        fc.array(arbEvent, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.constantFrom(...fields),
        fc.string({ minLength: 1, maxLength: 6 }),
        (specs, pick, field, noise) => {
          const rows = specs.map((s, i) =>
            row(s.type, s.data as Record<string, unknown>, {
              ...s,
              at: s.at.toISOString(),
              recordedAt: s.recordedAt.toISOString(),
              version: i + 1,
            }),
          );
          const chain = stored(rows);
          expect(verifyChain(chain).verified).toBe(true);
          const i = pick % chain.length;
          const e = { ...chain[i]! } as Record<string, unknown>;
          const before = e[field];
          e[field] = changed(field, before, noise);
          const tampered = chain.map((x, j) => (j === i ? (e as unknown as StoredCustodyEvent) : x));
          expect(verifyChain(tampered).verified).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a chain made by one facility does not verify as another’s', () => {
    const chain = history().map((e) => ({ ...e, facilityId: PACKAGE }));
    expect(verifyChain(chain).verified).toBe(false);
  });
});

/** A different value of the same kind for `field`. */
function changed(field: string, value: unknown, noise: string): unknown {
  switch (field) {
    case 'seq':
    case 'mutationId':
      return typeof value === 'number' ? value + 1 : 7;
    case 'at':
    case 'recordedAt':
      return new Date(Date.parse(value as string) + 1).toISOString();
    case 'data':
      // Generated keys are at most 8 characters: this one is new.
      return { ...(value as object), [`tampered-${noise}`]: noise };
    case 'hash':
    case 'prevHash':
      return value === 'a'.repeat(64) ? 'b'.repeat(64) : 'a'.repeat(64);
    case 'type':
      return `${value as string}${noise}`;
    default:
      // Ids: another UUID (or one where there was none).
      return value === '99999999-9999-4999-8999-999999999999'
        ? '88888888-8888-4888-8888-888888888888'
        : '99999999-9999-4999-8999-999999999999';
  }
}

describe('refusedHandOffEvidence', () => {
  const ctx = { actorId: uuid(), clientId: uuid(), mutationId: 9, now: '2026-11-29T09:30:00.000Z', newId: uuid };
  const args = {
    id: PACKAGE.toUpperCase(),
    deliveredTo: 'Grace Hopper',
    proxyReason: 'colleague',
    at: '2026-11-29T09:29:00.000Z',
    signatureHash: 'c'.repeat(64),
    photoHash: 'd'.repeat(64),
  };

  it('keeps the proof of a delivery refused because the package was already closed', () => {
    for (const name of ['package.deliver', 'package.deliver.v2']) {
      for (const code of ['invalid_transition', 'already_in_state']) {
        const ev = refusedHandOffEvidence({ name, args }, { code, message: 'Already returned' }, ctx)!;
        expect(ev.event).toMatchObject({
          packageId: PACKAGE,
          type: 'handoff_refused',
          at: args.at,
          recordedAt: ctx.now,
          mutationId: 9,
          data: {
            deliveredTo: 'Grace Hopper',
            at: args.at,
            proxyReason: 'colleague',
            signatureHash: args.signatureHash,
            photoHash: args.photoHash,
            code,
            message: 'Already returned',
          },
        });
        expect(ev.attachments.map((a) => [a.kind, a.hash])).toEqual([
          ['signature', args.signatureHash],
          ['delivery', args.photoHash],
        ]);
      }
    }
  });

  it('keeps nothing for other refusals or other mutations', () => {
    for (const code of ['forbidden', 'invalid_args', 'signature_required', 'not_found', 'proxy_reason_required']) {
      expect(refusedHandOffEvidence({ name: 'package.deliver.v2', args }, { code, message: '' }, ctx)).toBeNull();
    }
    expect(refusedHandOffEvidence({ name: 'package.return.v2', args }, { code: 'invalid_transition', message: '' }, ctx)).toBeNull();
  });
});
