import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, csvText } from './csv';

describe('csvCell', () => {
  it('quotes every cell and doubles quotes', () => {
    expect(csvCell('Ada "the first" Lovelace')).toBe('"Ada ""the first"" Lovelace"');
    expect(csvCell('a,b\nc')).toBe('"a,b\nc"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(42)).toBe('"42"');
  });
  it('neutralises cells that start like a formula', () => {
    for (const s of ['=1+1', '+33 1 23', '-2', '@SUM(A1)', '\t=cmd', '\r=cmd']) expect(csvCell(s)).toBe(`"'${s}"`);
    expect(csvCell('1Z=5')).toBe('"1Z=5"');
  });
});

describe('csvText', () => {
  it('starts with a BOM and ends rows with CRLF', () => {
    expect(
      csvText([
        ['a', 'b'],
        ['=x', 'é'],
      ]),
    ).toBe(`${CSV_BOM}"a","b"\r\n"'=x","é"\r\n`);
  });
});
