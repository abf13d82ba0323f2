import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MATCH_MAX_CANDIDATES } from './ai';
import { decideRecipient } from './label-match';

const p = (id: string, name: string) => ({ id, name });

describe('recipient matching: local first, Claude only when ambiguous', () => {
  it('one clear name is the person, without a call', () => {
    expect(decideRecipient('LOVELACE, ADA', [p('a', 'Ada Lovelace'), p('b', 'Grace Hopper')])).toEqual({ kind: 'clear', id: 'a' });
  });

  it('two close names go to Claude, closest first', () => {
    const d = decideRecipient('Dana Lee', [p('x', 'Dan Lee'), p('y', 'Dana Lee'), p('z', 'Zed Quux')]);
    expect(d).toEqual({ kind: 'ask', ids: ['y', 'x', 'z'] });
  });

  it('no close name: the best few the device and the server found go to Claude', () => {
    const d = decideRecipient('D. Lee, Bldg 4', [p('a', 'Dana Leeson')], [{ recipientId: 'b', name: 'Dan Li' }]);
    expect(d.kind).toBe('ask');
    expect(d.kind === 'ask' && [...d.ids].sort()).toEqual(['a', 'b']);
  });

  it('nobody at all, or no name: nothing to ask', () => {
    expect(decideRecipient('Dana Lee', [])).toEqual({ kind: 'none' });
    expect(decideRecipient('  ', [p('a', 'Dana Lee')])).toEqual({ kind: 'none' });
  });

  it('never asks about more than 10 people, nor anyone twice', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.constantFrom(...'abcdefghijklmnop'), name: fc.string({ maxLength: 12 }) }), { maxLength: 30 }),
        fc.string({ minLength: 1, maxLength: 12 }),
        (rows, name) => {
          const d = decideRecipient(
            name,
            rows,
            rows.map((r) => ({ recipientId: r.id, name: r.name })),
          );
          if (d.kind !== 'ask') return;
          expect(d.ids.length).toBeGreaterThanOrEqual(1);
          expect(d.ids.length).toBeLessThanOrEqual(MATCH_MAX_CANDIDATES);
          expect(new Set(d.ids).size).toBe(d.ids.length);
          for (const id of d.ids) expect(rows.some((r) => r.id === id)).toBe(true);
        },
      ),
    );
  });
});
