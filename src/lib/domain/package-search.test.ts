import { describe, expect, it } from 'vitest';
import { foldText, matchesSearch, MAX_SEARCH_LENGTH, packageSearchText, searchTerms, type SearchablePackage } from './package-search';

const ada = {
  recipientName: 'Ada Lovelace',
  trackingNumber: '1Z 999 AA1 01 2345 6784',
  sender: 'Analytical Engines Ltd',
  notes: 'Fragile: gears',
};
const finds = (q: string, p: SearchablePackage = ada) => matchesSearch(packageSearchText(p), searchTerms(q));

describe('package search', () => {
  it('finds any word of a name, whole or in part, in any case', () => {
    expect(finds('Lovelace')).toBe(true);
    expect(finds('lovelace')).toBe(true);
    expect(finds('ADA')).toBe(true);
    expect(finds('love')).toBe(true);
    expect(finds('Byron')).toBe(false);
  });

  it('needs every word of the query', () => {
    expect(finds('ada love')).toBe(true);
    expect(finds('ada byron')).toBe(false);
    expect(finds('  lovelace   ada ')).toBe(true);
  });

  it('finds any part of a tracking number: prefix, suffix, middle, with or without spaces', () => {
    expect(finds('1Z999')).toBe(true);
    expect(finds('6784')).toBe(true);
    expect(finds('AA10123')).toBe(true);
    expect(finds('aa1 01')).toBe(true);
    expect(finds('1z999aa10123456784')).toBe(true);
    expect(finds('6785')).toBe(false);
  });

  it('finds the sender and the notes', () => {
    expect(finds('analytical')).toBe(true);
    expect(finds('gears')).toBe(true);
    expect(finds('fragile:')).toBe(true);
  });

  it('ignores accents both ways', () => {
    const m = { recipientName: 'Jürgen Müller', trackingNumber: 'X1' };
    expect(finds('muller', m)).toBe(true);
    expect(finds('MÜLLER', m)).toBe(true);
    expect(finds('jurgen', m)).toBe(true);
    expect(finds('Zoë', { recipientName: 'Zoe Quinn', trackingNumber: 'X2' })).toBe(true);
    expect(foldText('Straße')).toBe('strasse');
  });

  it('a term cannot match across two fields', () => {
    // "lace1z" would span the name and the tracking number.
    expect(finds('lace1z')).toBe(false);
    expect(packageSearchText({ recipientName: 'A', trackingNumber: 'B', sender: null, notes: null }).split('\u0001')).toEqual([
      'a',
      'b',
      '',
      '',
    ]);
  });

  it('an empty or punctuation-only query matches everything; long input is cut', () => {
    expect(searchTerms('')).toEqual([]);
    expect(searchTerms(' - , ')).toEqual([]);
    expect(finds('')).toBe(true);
    expect(searchTerms('Ada ada ADA')).toEqual(['ada']);
    expect(searchTerms('x'.repeat(500))[0]!.length).toBe(MAX_SEARCH_LENGTH);
  });
});
