import { describe, expect, it } from 'vitest';
import { RecipientIndex, fuzzyDistance } from './recipient-search';
import type { DepartmentRow, RecipientRow } from './sync/rows';

let n = 0;
function person(name: string, extra: Partial<RecipientRow> = {}): RecipientRow {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    name,
    email: null,
    phone: null,
    employeeId: null,
    departmentId: null,
    defaultLocationId: null,
    notes: null,
    notifyEmail: true,
    notifySms: false,
    version: 1,
    deletedAt: null,
    ...extra,
  };
}

const radiology: DepartmentRow = { id: 'd1000000-0000-4000-8000-000000000001', name: 'Radiology', version: 1, deletedAt: null };
const legal: DepartmentRow = { id: 'd1000000-0000-4000-8000-000000000002', name: 'Legal', version: 1, deletedAt: null };
const ada = person('Ada Lovelace', { email: 'ada.lovelace@example.org', employeeId: 'E100123', departmentId: radiology.id });
const grace = person('Grace Hopper', { email: 'grace@example.org', employeeId: 'E100124', departmentId: legal.id });
const alan = person('Alan Turing', { email: 'a.turing@example.org', employeeId: 'E200777' });
const jose = person('José Muñoz', { employeeId: 'X-55' });
const gone = person('Lovelace Deleted', { deletedAt: '2026-11-01T00:00:00.000Z' });
const crowd = Array.from({ length: 200 }, (_, i) => person(`Person ${i} Lovell${i % 3 === 0 ? 'ington' : ''}`));
const index = () => new RecipientIndex([ada, grace, alan, jose, gone, ...crowd], [radiology, legal]);
const names = (q: string, limit?: number) =>
  index()
    .search(q, limit)
    .map((m) => m.recipient.name);

describe('RecipientIndex', () => {
  it('"Lovelace" finds Ada Lovelace (any word of a name)', () => {
    expect(names('Lovelace')[0]).toBe('Ada Lovelace');
  });

  it('finds a name from a few letters of each word', () => {
    expect(names('ad lov')[0]).toBe('Ada Lovelace');
    expect(names('gra')).toContain('Grace Hopper');
  });

  it.each([
    ['transposition', 'Ada Lovleace'],
    ['transposition of the first name', 'Aad Lovelace'],
    ['substitution', 'Ada Lovelaca'],
    ['deletion', 'Ada Lovlace'],
    ['insertion', 'Ada Lovellace'],
    ['transposition alone', 'Hoppre'],
  ])('tolerates a %s: %s', (_kind, q) => {
    const first = names(q)[0];
    expect(['Ada Lovelace', 'Grace Hopper']).toContain(first);
  });

  it('does not fuzz words shorter than four letters (they would match half the directory)', () => {
    expect(fuzzyDistance('ada')).toBe(0);
    expect(fuzzyDistance('hopp')).toBe(1);
    expect(fuzzyDistance('hoppr')).toBe(2);
    expect(names('xda')).toEqual([]);
  });

  it('puts the person with a typed employee id or email first, case, spaces and dashes aside', () => {
    const byId = index().search('e100 123');
    expect(byId[0]).toMatchObject({ by: 'employeeId', recipient: { name: 'Ada Lovelace' } });
    expect(index().search('x55')[0]).toMatchObject({ by: 'employeeId', recipient: { name: 'José Muñoz' } });
    expect(index().search('GRACE@example.org')[0]).toMatchObject({ by: 'email', recipient: { name: 'Grace Hopper' } });
  });

  it('finds by parts of an email and by department name, and says the department', () => {
    expect(names('a.turing')[0]).toBe('Alan Turing');
    const rad = index().search('radiology');
    expect(rad.map((m) => m.recipient.name)).toEqual(['Ada Lovelace']);
    expect(rad[0]!.department).toBe('Radiology');
  });

  it('folds accents both ways', () => {
    expect(names('munoz')[0]).toBe('José Muñoz');
    expect(names('Jose')[0]).toBe('José Muñoz');
  });

  it('never offers a deleted recipient', () => {
    expect(names('Deleted')).toEqual([]);
  });

  it('falls back to any word when no one matches all of them', () => {
    expect(names('Hopper Zzzzzz')).toContain('Grace Hopper');
  });

  it('honours the limit', () => {
    expect(names('person', 5)).toHaveLength(5);
  });

  it('follows changes: a recipient created on the spot, renamed, deleted', () => {
    const i = index();
    const kim = person('Kim Nakamura', { employeeId: 'E9' });
    i.upsert([kim]);
    expect(i.search('nakamura')[0]!.recipient.id).toBe(kim.id);
    i.upsert([{ ...kim, name: 'Kim Tanaka', employeeId: 'E10' }]);
    expect(i.search('nakamura')).toEqual([]);
    expect(i.search('E9')).toEqual([]);
    expect(i.search('e10')[0]!.recipient.name).toBe('Kim Tanaka');
    i.upsert([{ ...kim, deletedAt: '2026-11-29T00:00:00.000Z' }]);
    expect(i.search('tanaka')).toEqual([]);
    expect(i.get(kim.id)).toBeUndefined();
  });

  it('tells whether a typed name is exactly someone (case and accents aside)', () => {
    expect(
      index()
        .withName('ada lovelace')
        .map((r) => r.id),
    ).toEqual([ada.id]);
    expect(
      index()
        .withName('jose munoz')
        .map((r) => r.id),
    ).toEqual([jose.id]);
    expect(index().withName('Ada Lovleace')).toEqual([]);
    expect(index().withName('Ada')).toEqual([]);
  });
});
