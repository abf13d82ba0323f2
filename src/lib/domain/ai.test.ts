import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LABEL_TOOL_SCHEMA,
  MATCH_TOOL_SCHEMA,
  SEARCH_TOOL_SCHEMA,
  aiLabelAnswer,
  aiMatchInput,
  appliedSearchFilter,
  crossCheckTracking,
  labelAnswer,
  labelReading,
  listQueryOf,
  matchAnswer,
  matchReading,
  nameScore,
  normaliseCarrier,
  searchFilter,
} from './ai';
import { packageListQuery } from './package-list';

const reading = (over: Partial<Record<string, unknown>> = {}) =>
  labelReading.parse({
    carrier: 'UPS',
    trackingNumber: '1Z5R89390357567127',
    recipientName: 'Ada Lovelace',
    sender: 'Acme',
    confidence: 0.95,
    ...over,
  });

describe('labelReading (what Claude may answer)', () => {
  it('takes the five fields, trims them and turns empty text into null', () => {
    expect(reading({ recipientName: '  Ada\n  Lovelace ', sender: '   ' })).toMatchObject({ recipientName: 'Ada Lovelace', sender: null });
  });

  it('refuses extra fields, missing fields, overlong text and confidence outside 0..1', () => {
    const good = { carrier: 'UPS', trackingNumber: 'X1', recipientName: 'A', sender: null, confidence: 0.5 };
    expect(labelReading.safeParse(good).success).toBe(true);
    expect(labelReading.safeParse({ ...good, facilityId: 'x' }).success).toBe(false);
    expect(labelReading.safeParse({ ...good, confidence: 1.01 }).success).toBe(false);
    expect(labelReading.safeParse({ ...good, confidence: -0.1 }).success).toBe(false);
    expect(labelReading.safeParse({ ...good, recipientName: 'x'.repeat(121) }).success).toBe(false);
    const { sender: _, ...missing } = good;
    expect(labelReading.safeParse(missing).success).toBe(false);
  });

  it('never lets through a text longer than its bound, whatever the model sends', () => {
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        const r = labelReading.safeParse(junk);
        if (!r.success) return;
        expect(r.data.recipientName?.length ?? 0).toBeLessThanOrEqual(120);
        expect(r.data.sender?.length ?? 0).toBeLessThanOrEqual(200);
      }),
    );
  });

  it('hand-written tool schemas name exactly the zod schemas’ fields', () => {
    expect(Object.keys(LABEL_TOOL_SCHEMA.properties).sort()).toEqual(Object.keys(labelReading.shape).sort());
    expect([...LABEL_TOOL_SCHEMA.required].sort()).toEqual(Object.keys(labelReading.shape).sort());
    expect(Object.keys(MATCH_TOOL_SCHEMA.properties).sort()).toEqual(Object.keys(matchReading.shape).sort());
    expect(Object.keys(SEARCH_TOOL_SCHEMA.properties).sort()).toEqual([
      'carrier',
      'departmentName',
      'from',
      'recipientName',
      'status',
      'text',
      'to',
    ]);
    for (const s of [LABEL_TOOL_SCHEMA, MATCH_TOOL_SCHEMA, SEARCH_TOOL_SCHEMA]) expect(s.additionalProperties).toBe(false);
  });
});

describe('crossCheckTracking', () => {
  it('matches the device barcode, also when the barcode is the longer USPS or FedEx code', () => {
    expect(crossCheckTracking('1Z5R 8939 0357 5671 27', '1Z5R89390357567127')).toEqual({
      trackingNumber: '1Z5R89390357567127',
      detected: 'ups',
      check: 'matches_barcode',
    });
    expect(crossCheckTracking('9101026837331000039521', '420221539101026837331000039521').check).toBe('matches_barcode');
    expect(crossCheckTracking('779017972697', '1001921334250001000300779017972697')).toMatchObject({
      trackingNumber: '779017972697',
      check: 'matches_barcode',
    });
  });

  it('on a disagreement answers the number whose check digit holds, the barcode first', () => {
    // One digit misread by the model: the barcode wins.
    expect(crossCheckTracking('1Z5R89390357567128', '1Z5R89390357567127')).toEqual({
      trackingNumber: '1Z5R89390357567127',
      detected: 'ups',
      check: 'mismatch',
    });
    // The device read some other barcode (an order number): the model's valid number wins.
    expect(crossCheckTracking('1Z5R89390357567127', 'ORDER-55512')).toMatchObject({
      trackingNumber: '1Z5R89390357567127',
      check: 'mismatch',
    });
  });

  it('without a barcode checks the check digit, and says unverified when none holds', () => {
    expect(crossCheckTracking('986578788855')).toEqual({ trackingNumber: '986578788855', detected: 'fedex', check: 'check_digit_ok' });
    expect(crossCheckTracking('1Z5R89390357567128')).toMatchObject({ detected: null, check: 'unverified' });
    expect(crossCheckTracking(null)).toEqual({ trackingNumber: null, detected: null, check: 'unverified' });
    // Not a tracking number at all (characters no barcode carries): nothing is answered.
    expect(crossCheckTracking('DROP TABLE; 😀')).toEqual({ trackingNumber: null, detected: null, check: 'unverified' });
  });

  it('always answers a number that is the barcode, the reading, or null', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ maxLength: 40 })), fc.option(fc.string({ maxLength: 40 })), (read, code) => {
        const r = crossCheckTracking(read, code);
        const clean = (s: string | null) => (s ? s.replace(/[\s-]+/g, '').toUpperCase() : null);
        if (r.trackingNumber !== null) {
          const sources = [clean(read), clean(code)].filter(Boolean).join('|');
          // The answer is one of the two, or a real number inside one of them (a reduced barcode).
          expect(sources).toContain(r.trackingNumber);
        }
      }),
    );
  });
});

describe('normaliseCarrier and nameScore', () => {
  it('maps carrier names to ids, unknown ones to other', () => {
    expect(normaliseCarrier('FedEx')).toBe('fedex');
    expect(normaliseCarrier('United Parcel Service')).toBe('ups');
    expect(normaliseCarrier('U.S. Postal Service')).toBe('usps');
    expect(normaliseCarrier('Royal Mail')).toBe('other');
    expect(normaliseCarrier('  ')).toBeNull();
    expect(normaliseCarrier(null)).toBeNull();
  });

  it('scores names whatever the word order, case and accents, and is symmetric and bounded', () => {
    expect(nameScore('LOVELACE, ADA', 'Ada Lovelace')).toBe(1);
    expect(nameScore('Zoe Muñoz', 'zoë munoz')).toBe(1);
    expect(nameScore('Ada Lovleace', 'Ada Lovelace')).toBeGreaterThan(0.6);
    expect(nameScore('Ada Lovelace', 'Grace Hopper')).toBeLessThan(0.3);
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const s = nameScore(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(nameScore(b, a)).toBe(s);
      }),
    );
  });
});

describe('labelAnswer (review marks)', () => {
  const ada = [{ recipientId: '00000000-0000-4000-8000-000000000001', name: 'Ada Lovelace', score: 1 }];

  it('a confident reading that matches the barcode and the directory needs no look', () => {
    const a = labelAnswer(reading(), '1Z5R89390357567127', ada);
    expect(aiLabelAnswer.parse(a)).toEqual({
      carrier: 'ups',
      trackingNumber: '1Z5R89390357567127',
      recipientName: 'Ada Lovelace',
      sender: 'Acme',
      confidence: 0.95,
      review: [],
      trackingCheck: 'matches_barcode',
      candidates: ada,
    });
  });

  it('low confidence marks every field read', () => {
    expect(labelAnswer(reading({ confidence: 0.4 }), '1Z5R89390357567127', ada).review).toEqual([
      'carrier',
      'trackingNumber',
      'recipientName',
      'sender',
    ]);
  });

  it('marks a mismatching number, a carrier the number contradicts, and a name without a clear candidate', () => {
    const a = labelAnswer(reading({ carrier: 'FedEx', trackingNumber: '1Z5R89390357567128' }), '1Z5R89390357567127', []);
    expect(a.carrier).toBe('ups');
    expect(a.trackingCheck).toBe('mismatch');
    expect(a.review).toEqual(['carrier', 'trackingNumber', 'recipientName']);
  });
});

describe('matching', () => {
  const ids = ['a1b2c3d4-0000-4000-8000-000000000001', 'a1b2c3d4-0000-4000-8000-000000000002'];

  it('maps an opaque id back; an id not offered or null is no match', () => {
    expect(matchAnswer({ candidate: 'c2', confidence: 0.9 }, ids)).toEqual({ recipientId: ids[1], confidence: 0.9 });
    expect(matchAnswer({ candidate: 'c3', confidence: 0.9 }, ids)).toEqual({ recipientId: null, confidence: 0 });
    expect(matchAnswer({ candidate: null, confidence: 0.7 }, ids)).toEqual({ recipientId: null, confidence: 0.7 });
  });

  it('the model may only name c1..c10', () => {
    for (const bad of ['c0', 'c11', ids[0], 'C1', 'c1 ', '1'])
      expect(matchReading.safeParse({ candidate: bad, confidence: 1 }).success).toBe(false);
  });

  it('takes 1 to 10 candidate uuids, deduplicated, and refuses junk', () => {
    expect(aiMatchInput.parse({ name: 'Ada', candidateIds: [ids[0], ids[0]!.toUpperCase()] }).candidateIds).toEqual([ids[0]]);
    expect(aiMatchInput.safeParse({ name: 'Ada', candidateIds: [] }).success).toBe(false);
    expect(aiMatchInput.safeParse({ name: 'Ada', candidateIds: Array(11).fill(ids[0]) }).success).toBe(false);
    expect(aiMatchInput.safeParse({ name: '', candidateIds: [ids[0]] }).success).toBe(false);
    expect(aiMatchInput.safeParse({ name: 'Ada', candidateIds: [ids[0]], email: 'x' }).success).toBe(false);
  });
});

describe('searchFilter', () => {
  it('refuses fields that do not exist, ids, and dates out of order or that do not exist', () => {
    expect(searchFilter.safeParse({ status: 'held', departmentName: 'Engineering', from: '2026-11-22', to: '2026-11-28' }).success).toBe(
      true,
    );
    for (const bad of [
      { facilityId: '00000000-0000-4000-8000-000000000001' },
      { recipientId: '00000000-0000-4000-8000-000000000001' },
      { sql: 'SELECT * FROM packages' },
      { status: 'lost' },
      { from: '2026-02-30' },
      { from: '2026-11-28', to: '2026-11-01' },
      { text: 'x'.repeat(101) },
    ])
      expect(searchFilter.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  it('every valid filter becomes a GET /api/packages query the list accepts', () => {
    const day = fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    const word = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0);
    fc.assert(
      fc.property(
        fc.record(
          {
            status: fc.constantFrom('received', 'held', 'delivered', 'returned', 'all'),
            carrier: fc.constantFrom('ups', 'fedex', 'usps'),
            recipientName: word,
            recipientId: fc.uuid(),
            departmentName: word,
            departmentId: fc.uuid(),
            from: day,
            to: day,
            text: word,
          },
          { requiredKeys: [] },
        ),
        (raw) => {
          const f = appliedSearchFilter.safeParse(raw);
          if (!f.success) return;
          const q = listQueryOf(f.data);
          if (f.data.departmentName && !f.data.departmentId) expect(q).toBeNull();
          else expect(packageListQuery.safeParse(q).success).toBe(true);
        },
      ),
    );
  });

  it('searches an unresolved recipient name as words, and a resolved one by id', () => {
    expect(listQueryOf({ recipientName: 'Dana', text: 'fragile' })).toMatchObject({ q: 'fragile Dana', recipientId: undefined });
    const id = '00000000-0000-4000-8000-000000000001';
    expect(listQueryOf({ recipientName: 'Dana Scully', recipientId: id })).toMatchObject({ q: undefined, recipientId: id });
  });
});
