import { describe, expect, it } from 'vitest';
import { containsPattern, filtersFromUrl, listSearchParams, nextSort, packageListQuery, parseSort, searchTerms } from './package-list';

describe('packageListQuery', () => {
  it('reads empty values as unset and coerces numbers', () => {
    expect(packageListQuery.parse({ status: '', q: '  ada ', limit: '20', waitingDays: '3' })).toEqual({
      q: 'ada',
      limit: 20,
      waitingDays: 3,
    });
  });
  it('refuses impossible dates, a reversed range and unknown sorts', () => {
    expect(packageListQuery.safeParse({ from: '2026-02-30' }).success).toBe(false);
    expect(packageListQuery.safeParse({ from: '2026-03-02', to: '2026-03-01' }).success).toBe(false);
    expect(packageListQuery.safeParse({ sort: 'id' }).success).toBe(false);
    expect(packageListQuery.safeParse({ from: '2024-02-29', to: '2024-02-29', sort: '-carrier' }).success).toBe(true);
  });
});

describe('sorting', () => {
  it('splits a sort and flips a column on a second click', () => {
    expect(parseSort(undefined)).toEqual({ key: 'receivedAt', desc: true });
    expect(parseSort('carrier')).toEqual({ key: 'carrier', desc: false });
    expect(nextSort('-receivedAt', 'receivedAt')).toBe('receivedAt');
    expect(nextSort('receivedAt', 'receivedAt')).toBe('-receivedAt');
    expect(nextSort('-receivedAt', 'recipientName')).toBe('recipientName');
    expect(nextSort('recipientName', 'recipientName')).toBe('-recipientName');
  });
});

describe('search terms', () => {
  it('splits on spaces and takes LIKE wildcards literally', () => {
    expect(searchTerms('  ada   lov ')).toEqual(['ada', 'lov']);
    expect(searchTerms(undefined)).toEqual([]);
    expect(containsPattern('100%_a\\b')).toBe('%100\\%\\_a\\\\b%');
  });
});

describe('the address bar', () => {
  it('keeps valid filters, drops refused ones, and writes them back in a stable order', () => {
    const url = new URLSearchParams('sort=-carrier&status=held&q=ada&waitingDays=x&from=2026-13-01&recipientId=nope&carrier=ups');
    const f = filtersFromUrl(url);
    expect(f).toEqual({ sort: '-carrier', status: 'held', q: 'ada', carrier: 'ups' });
    expect(listSearchParams({ ...f, cursor: 'abc', to: '' }).toString()).toBe('status=held&q=ada&carrier=ups&sort=-carrier&cursor=abc');
  });
});
