import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activityQuery, activityTypeWords, decodeActivityCursor, encodeActivityCursor } from './activity';

describe('the activity log', () => {
  it('cursors round-trip and nothing else reads as one', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), fc.uuid(), (d, id) => {
        const c = { at: d.toISOString(), id };
        expect(decodeActivityCursor(encodeActivityCursor(c))).toEqual({ at: c.at, id: id.toLowerCase() });
      }),
    );
    for (const junk of ['', '%%', 'bm90LWEtY3Vyc29y', btoa('2026-11-11T10:00:00.000Z|x'), btoa('x|00000000-0000-4000-8000-000000000001')])
      expect(decodeActivityCursor(junk), junk).toBeNull();
  });

  it('validates its filters', () => {
    expect(activityQuery.safeParse({ type: 'held', limit: '20', from: '2026-11-01', to: '2026-11-02' }).success).toBe(true);
    for (const q of [{ type: 'stolen' }, { limit: '0' }, { from: '2026-11-02', to: '2026-11-01' }, { actorId: 'me' }, { cursor: 'nope!' }])
      expect(activityQuery.safeParse(q).success, JSON.stringify(q)).toBe(false);
  });

  it('names actions in words', () => {
    expect(activityTypeWords('returned')).toBe('Returned to sender');
    expect(activityTypeWords('something_new')).toBe('something new');
  });
});
