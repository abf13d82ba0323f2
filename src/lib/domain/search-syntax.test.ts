import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchFilter } from './ai';
import { CARRIERS } from './carriers';
import {
  SEARCH_STATUSES,
  addDays,
  facilityToday,
  fieldToSyntax,
  filterToSyntax,
  isPureSyntax,
  parseSearchSyntax,
  resolveName,
  type SearchContext,
  type SearchFilter,
} from './search-syntax';

// Sunday 29 November 2026, 15:00 UTC.
const ny: SearchContext = { now: new Date('2026-11-29T15:00:00Z'), timeZone: 'America/New_York' };
const parse = (s: string, ctx = ny) => parseSearchSyntax(s, ctx);

describe('local search syntax', () => {
  it('reads the example of the issue', () => {
    expect(parse('held carrier:fedex dept:engineering since:7d')).toEqual({
      filter: { status: 'held', carrier: 'fedex', departmentName: 'engineering', from: '2026-11-22' },
      problems: [],
    });
  });

  it('reads quoted names, explicit ranges and the words left over as text', () => {
    expect(parse('for:"Dana Lee" from:2026-11-01 to:2026-11-20 blue box').filter).toEqual({
      recipientName: 'Dana Lee',
      from: '2026-11-01',
      to: '2026-11-20',
      text: 'blue box',
    });
    expect(parse('Carrier:FedEx recipient:"  Ada   Lovelace " "held" status:DELIVERED').filter).toEqual({
      carrier: 'fedex',
      recipientName: 'Ada Lovelace',
      status: 'delivered',
      text: 'held',
    });
    expect(parse('department:"Research \\"R&D\\"" 1Z999:AA').filter).toEqual({ departmentName: 'Research "R&D"', text: '1Z999:AA' });
  });

  it('reads relative days as the facility’s calendar days', () => {
    // Sunday 29 Nov 2026 in New York. Weeks start on Monday.
    expect(parse('today').filter).toEqual({ from: '2026-11-29', to: '2026-11-29' });
    expect(parse('yesterday').filter).toEqual({ from: '2026-11-28', to: '2026-11-28' });
    expect(parse('since:monday').filter).toEqual({ from: '2026-11-23' });
    expect(parse('since:sun').filter).toEqual({ from: '2026-11-29' }); // today is Sunday
    expect(parse('since:yesterday').filter).toEqual({ from: '2026-11-28' });
    expect(parse('since:2w').filter).toEqual({ from: '2026-11-15' });
    expect(parse('this week').filter).toEqual({ from: '2026-11-23' });
    expect(parse('last week').filter).toEqual({ from: '2026-11-16', to: '2026-11-22' });
    expect(parse('this month').filter).toEqual({ from: '2026-11-01' });
    expect(parse('last month').filter).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(parse('last month', { now: new Date('2026-03-15T12:00:00Z'), timeZone: 'UTC' }).filter).toEqual({
      from: '2026-02-01',
      to: '2026-02-28',
    });
  });

  it('"today" is the facility’s day, not the device’s or UTC’s', () => {
    // 04:30 UTC on Monday 30 Nov: still Sunday evening in New York and Los Angeles, Monday in Tokyo.
    const now = new Date('2026-11-30T04:30:00Z');
    expect(parse('today', { now, timeZone: 'America/Los_Angeles' }).filter.from).toBe('2026-11-29');
    expect(parse('today', { now, timeZone: 'America/New_York' }).filter.from).toBe('2026-11-29');
    expect(parse('today', { now, timeZone: 'UTC' }).filter.from).toBe('2026-11-30');
    expect(parse('today', { now, timeZone: 'Asia/Tokyo' }).filter.from).toBe('2026-11-30');
    expect(parse('since:monday', { now, timeZone: 'America/New_York' }).filter.from).toBe('2026-11-23');
    expect(parse('since:monday', { now, timeZone: 'Asia/Tokyo' }).filter.from).toBe('2026-11-30');
  });

  it('counts days across daylight saving changes without losing or gaining one', () => {
    // Just after the spring-forward night in New York (8 March 2026 02:00 → 03:00).
    const spring: SearchContext = { now: new Date('2026-03-08T07:30:00Z'), timeZone: 'America/New_York' };
    expect(facilityToday(spring)).toBe('2026-03-08');
    expect(parse('yesterday since:1d', spring).filter).toEqual({ from: '2026-03-07' });
    expect(parse('last week', spring).filter).toEqual({ from: '2026-02-23', to: '2026-03-01' });
    // Just before midnight on the fall-back day in Paris (25 October 2026, 23:30 local = 22:30 UTC).
    const fall: SearchContext = { now: new Date('2026-10-25T22:30:00Z'), timeZone: 'Europe/Paris' };
    expect(parse('today', fall).filter).toEqual({ from: '2026-10-25', to: '2026-10-25' });
    expect(parse('since:7d', fall).filter).toEqual({ from: '2026-10-18' });
    // Santiago's clocks skip midnight (6 Sept 2026): 00:30 local does not exist, 04:30 UTC is 01:30.
    const santiago: SearchContext = { now: new Date('2026-09-06T04:30:00Z'), timeZone: 'America/Santiago' };
    expect(parse('today', santiago).filter.from).toBe('2026-09-06');
  });

  it('the range is whole days whatever the zone: every zone gives from ≤ today and 7 days back', () => {
    const zones = [
      'UTC',
      'America/New_York',
      'Europe/Paris',
      'Asia/Kolkata',
      'Pacific/Kiritimati',
      'America/Santiago',
      'Australia/Lord_Howe',
    ];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom(...zones),
        (now, timeZone) => {
          const ctx = { now, timeZone };
          const today = facilityToday(ctx);
          expect(parse('since:7d', ctx).filter.from).toBe(addDays(today, -7));
          const week = parse('last week', ctx).filter;
          expect(new Date(`${week.from}T00:00:00Z`).getUTCDay()).toBe(1); // a Monday
          expect(addDays(week.from!, 6)).toBe(week.to);
          expect(week.to! < today).toBe(true);
          const mon = parse('since:monday', ctx).filter.from!;
          expect(mon <= today && addDays(mon, 7) > today).toBe(true);
        },
      ),
    );
  });

  it('says what it cannot read, and keeps the rest', () => {
    const r = parse('carrier:pigeon from:2026-02-30 held since:soon for: dept:"x"');
    expect(r.filter).toEqual({ status: 'held', departmentName: 'x' });
    expect(r.problems).toHaveLength(4);
    expect(r.problems[0]).toMatch(/carrier.*pigeon/i);
    const backwards = parse('from:2026-11-20 to:2026-11-01');
    expect(backwards.filter).toEqual({ from: '2026-11-20' });
    expect(backwards.problems[0]).toMatch(/after it ends/);
    expect(parse(`for:${'a'.repeat(121)}`).problems[0]).toMatch(/at most 120/);
  });

  it('writes each field as a chip’s text', () => {
    const f: SearchFilter = {
      status: 'held',
      carrier: 'fedex',
      recipientName: 'Dana Lee',
      departmentName: 'R&D',
      from: '2026-11-01',
      text: 'held box',
    };
    expect(fieldToSyntax('recipientName', f)).toBe('for:"Dana Lee"');
    expect(fieldToSyntax('departmentName', f)).toBe('dept:R&D');
    expect(fieldToSyntax('to', f)).toBe('');
    expect(filterToSyntax(f)).toBe('status:held carrier:fedex for:"Dana Lee" dept:R&D from:2026-11-01 "held box"');
  });

  it('tells the syntax from a question', () => {
    expect(isPureSyntax('held carrier:fedex since:monday', ny)).toBe(true);
    expect(isPureSyntax('last week', ny)).toBe(true);
    expect(isPureSyntax('held packages for Engineering from last week', ny)).toBe(false);
    expect(isPureSyntax('carrier:pigeon', ny)).toBe(false);
    expect(isPureSyntax('   ', ny)).toBe(false);
  });
});

// --- round trips ----------------------------------------------------------------------------------

/** A word as people write them: letters, digits, a few signs, quotes and colons included. */
/** …and the syntax's own words, which text and names may hold too. */
const word = fc.oneof(
  fc.stringMatching(/^[A-Za-zÀ-ÿ0-9&'".:\\-]{1,12}$/),
  fc.constantFrom('held', 'Today', 'last', 'week', 'this', 'month', 'all', 'for:x', 'since:7d', 'carrier:ups'),
);
const phrase = (max: number) =>
  fc
    .array(word, { minLength: 1, maxLength: 4 })
    .map((ws) => ws.join(' '))
    .filter((s) => [...s].length <= max);
const date = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const filterArb: fc.Arbitrary<SearchFilter> = fc
  .record(
    {
      status: fc.constantFrom(...SEARCH_STATUSES),
      carrier: fc.constantFrom(...CARRIERS.map((c) => c.id)),
      recipientName: phrase(120),
      departmentName: phrase(120),
      from: date,
      to: date,
      text: phrase(100),
    },
    { requiredKeys: [] },
  )
  .map((f) => (f.from && f.to && f.from > f.to ? { ...f, from: f.to, to: f.from } : f));

describe('local search syntax round trips', () => {
  it('parse(format(f)) == f for every filter', () => {
    fc.assert(
      fc.property(filterArb, (f) => {
        const back = parse(filterToSyntax(f));
        expect(back.problems).toEqual([]);
        expect(back.filter).toEqual(f);
      }),
      { numRuns: 500 },
    );
  });

  it('whatever is typed, its filter written and read again is the same filter', () => {
    const typed = fc.array(
      fc.oneof(
        word,
        fc.constantFrom(
          'held',
          'today',
          'last week',
          'this month',
          'since:3d',
          'for:"A B"',
          'carrier:ups',
          'dept:',
          '"',
          'from:2026-01-05',
        ),
      ),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(typed, (ws) => {
        const once = parse(ws.join(' ')).filter;
        // The same filter the AI route validates Claude's answer with: strict, bounded, dates in order.
        expect(searchFilter.parse(once)).toEqual(once);
        expect(parse(filterToSyntax(once)).filter).toEqual(once);
      }),
      { numRuns: 500 },
    );
  });

  it('each chip edited alone reads back as that field', () => {
    fc.assert(
      fc.property(filterArb, (f) => {
        for (const [k, v] of Object.entries(f)) expect(parse(fieldToSyntax(k as keyof SearchFilter, f)).filter).toEqual({ [k]: v });
      }),
      { numRuns: 300 },
    );
  });
});

describe('names to ids on the device', () => {
  const rows = [
    { id: '1', name: 'Dana Lee' },
    { id: '2', name: 'Dana Leeds' },
    { id: '3', name: 'Zoë Muñoz' },
    { id: '4', name: 'Engineering' },
    { id: '5', name: 'Engineering Ops' },
    { id: '6', name: 'Finance' },
  ];
  it('takes the name itself, then the only one whose words start with the typed words', () => {
    expect(resolveName('dana lee', rows)?.id).toBe('1'); // Dana Leeds starts with it too: the exact name wins
    expect(resolveName('LEE, dana', rows)).toBeNull(); // word order matters for the exact name; both start-match
    expect(resolveName('zoe munoz', rows)?.id).toBe('3');
    expect(resolveName('engineering', rows)?.id).toBe('4');
    expect(resolveName('fin', rows)?.id).toBe('6');
    expect(resolveName('dana', rows)).toBeNull(); // two people
    expect(resolveName('nobody', rows)).toBeNull();
    expect(resolveName('  ', rows)).toBeNull();
  });
});
