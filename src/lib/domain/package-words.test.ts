import { describe, expect, it } from 'vitest';
import {
  REFUSAL_WORDS,
  conflictActions,
  deviceLabel,
  eventDetails,
  eventHeadline,
  explainRefusal,
  heldAge,
  nameResolver,
  oldestHoldFirst,
  refusalWords,
} from './package-words';

const time = (iso: string) => iso.slice(11, 16);
const names = nameResolver('me-id', { 'sam-id': 'Sam', 'ada-id': 'Ada' });

const pkg = {
  status: 'returned' as const,
  trackingNumber: '1Z999AA10123456784',
  deliveredTo: null,
  deliveredAt: null,
  deliveredById: null,
  returnedAt: '2026-11-29T09:58:00.000Z',
  returnedById: 'sam-id',
  returnReason: 'refused',
  returnNote: 'Refused by recipient',
  heldAt: null,
  holdNote: null,
  deletedAt: null,
};

describe('conflict words', () => {
  it('tells both versions of a refused hand-off in plain words, never the code', () => {
    const w = explainRefusal(
      {
        name: 'package.deliver.v2',
        args: { id: 'x', deliveredTo: 'Ada Lovelace', at: '2026-11-29T10:03:00.000Z' },
        code: 'invalid_transition',
        message: 'A returned package cannot be delivered',
        at: '2026-11-29T10:05:00.000Z',
      },
      { package: pkg },
      names,
      time,
    );
    expect(w.sentence).toBe(
      'You delivered this to Ada Lovelace at 10:03; meanwhile it was returned to sender by Sam at 09:58 (reason: Refused by recipient).',
    );
    expect(w.title).toBe('Deliver package 1Z999AA10123456784');
    expect(JSON.stringify(w)).not.toContain('invalid_transition');
  });

  it('names the other side as "a former member" or "you" when the member list says so', () => {
    const w = explainRefusal(
      {
        name: 'package.return.v2',
        args: { id: 'x', reason: 'damaged', at: '2026-11-29T10:00:00.000Z' },
        code: 'invalid_transition',
        message: '',
        at: '',
      },
      {
        package: {
          ...pkg,
          status: 'delivered',
          deliveredTo: 'Ada',
          deliveredAt: '2026-11-29T09:00:00.000Z',
          deliveredById: 'gone-id',
          returnedById: null,
        },
      },
      names,
      time,
    );
    expect(w.sentence).toBe(
      'You returned this to sender at 10:00 (reason: Damaged); meanwhile it was delivered to Ada by a former member at 09:00.',
    );
    expect(names('me-id')).toBe('you');
    expect(nameResolver('ada-id', { 'ada-id': 'Ada' })('ada-id')).toBe('Ada (you)');
  });

  it('has words for every refusal code the mutators throw', async () => {
    // Every code a MutationRejection in the shared mutators carries is in the table.
    const source = await import('node:fs').then((fs) =>
      ['src/lib/domain/sync/mutators.ts', 'src/lib/domain/handoff.ts', 'src/lib/domain/package-state.ts', 'src/lib/domain/undo-receive.ts']
        .map((f) => fs.readFileSync(f, 'utf8'))
        .join('\n'),
    );
    const codes = new Set([...source.matchAll(/(?:MutationRejection\(|code: )'([a-zA-Z_]+)'/g)].map((m) => m[1]!));
    expect(codes.size).toBeGreaterThan(8);
    for (const c of codes) expect(REFUSAL_WORDS[c], c).toBeTruthy();
    expect(refusalWords('something_new', 'The server said so')).toBe('The server said so');
    expect(refusalWords('something_new')).not.toContain('something_new');
  });

  it('offers evidence for a refused hand-off, reopen-and-record to admins only, and dismiss always', () => {
    const closed = { status: 'returned', deletedAt: null };
    expect(conflictActions({ name: 'package.deliver.v2' }, 'courier', closed)).toEqual(['keep_evidence', 'dismiss']);
    expect(conflictActions({ name: 'package.deliver.v2' }, 'admin', closed)).toEqual(['keep_evidence', 'reopen_and_deliver', 'dismiss']);
    expect(conflictActions({ name: 'package.deliver.v2' }, 'admin', { status: 'returned', deletedAt: 'x' })).toEqual([
      'keep_evidence',
      'dismiss',
    ]);
    expect(conflictActions({ name: 'package.return.v2' }, 'admin', closed)).toEqual(['dismiss']);
  });
});

describe('ages and timeline words', () => {
  const now = new Date('2026-11-29T12:00:00.000Z');
  it('says how long a package has been held', () => {
    expect(heldAge('2026-11-29T11:30:00.000Z', now)).toBe('held less than an hour');
    expect(heldAge('2026-11-29T10:00:00.000Z', now)).toBe('held 2 hours');
    expect(heldAge('2026-11-28T11:00:00.000Z', now)).toBe('held 1 day');
    expect(heldAge('2026-11-26T11:00:00.000Z', now)).toBe('held 3 days');
    expect(heldAge('2026-11-30T11:00:00.000Z', now)).toBe('held less than an hour'); // a clock ahead
  });

  it('lists held packages oldest hold first', () => {
    const rows = [
      { id: 'b', heldAt: '2026-11-28T00:00:00.000Z', receivedAt: '2026-11-01T00:00:00.000Z' },
      { id: 'a', heldAt: '2026-11-20T00:00:00.000Z', receivedAt: '2026-11-19T00:00:00.000Z' },
      { id: 'c', heldAt: null, receivedAt: '2026-11-25T00:00:00.000Z' },
    ];
    expect(oldestHoldFirst(rows).map((r) => r.id)).toEqual(['a', 'c', 'b']);
  });

  it('says who did what, by name, on which device', () => {
    expect(eventHeadline({ type: 'updated', actorId: 'ada-id' }, names)).toBe('Updated by Ada');
    expect(eventHeadline({ type: 'returned', actorId: 'me-id' }, names)).toBe('Returned to sender by you');
    expect(eventDetails({ type: 'updated', data: { sender: 'ACME', notes: 'x' } })).toBe('changed sender, notes');
    expect(eventDetails({ type: 'delivered', data: { deliveredTo: 'Bo', proxyReason: 'colleague', signatureHash: 'h' } })).toBe(
      'to Bo · proxy pickup: Colleague collecting · signed',
    );
    expect(deviceLabel('3f9a1c2e-0000-4000-8000-000000000000')).toBe('device 3f9a');
    expect(deviceLabel('abc', 'abc')).toBe('this device');
  });
});
