import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, csvLine, csvReadBack, csvRecordCounter, csvRow, csvTable, csvText } from './csv';
import { toCsv } from './directory-csv';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const parse = (text: string) => Papa.parse<string[]>(text, { delimiter: ',', newline: '\r\n' });

describe('csvCell', () => {
  it('leaves plain text alone and quotes what would split a record', () => {
    expect(csvCell('Ada Lovelace')).toBe('Ada Lovelace');
    expect(csvCell('Lovelace, Ada')).toBe('"Lovelace, Ada"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvCell('one\nline')).toBe('"one\nline"');
    expect(csvCell(' padded ')).toBe('" padded "');
    expect(csvCell('')).toBe('');
  });

  it('neutralises cells that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvCell('+1 555 0100')).toBe(`"'+1 555 0100"`);
    expect(csvCell('-2')).toBe(`"'-2"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('\tcmd')).toBe(`"'\tcmd"`);
    expect(csvCell('\rcmd')).toBe(`"'\rcmd"`);
    // A formula on several lines is neutralised too.
    expect(csvCell('=1+1\n')).toBe(`"'=1+1\n"`);
    // Only the start counts.
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes dates as ISO UTC, numbers and booleans as they are, nothing for null', () => {
    expect(csvCell(new Date('2026-11-29T10:00:00.000Z'))).toBe('2026-11-29T10:00:00.000Z');
    expect(csvCell(new Date('nope'))).toBe('');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('joins rows with commas and ends lines with CRLF', () => {
    expect(csvRow(['a', null, 'b,c'])).toBe('a,,"b,c"');
    expect(csvLine(['a', 'b'])).toBe('a,b\r\n');
    expect(CSV_BOM).toBe('\uFEFF');
  });

  it('any text reads back through papaparse with only the neutralising prefix added', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          // Papa reads a lone empty cell as a blank line; a marker column keeps every record.
          const text = rows.map((r) => csvRow(['x', ...r])).join('\r\n');
          const back = parse(text);
          expect(back.errors).toEqual([]);
          expect(back.data).toEqual(rows.map((r) => ['x', ...r.map(csvReadBack)]));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('writes what papaparse writes with escapeFormulae, except that a formula over several lines is neutralised too', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme-ascii' }), { minLength: 1, maxLength: 6 }), (cells) => {
        fc.pre(!cells.some((c) => /^[=+\-@\t\r][^]*[\r\n]/.test(c)));
        expect(csvRow(cells)).toBe(Papa.unparse([cells], { newline: '\r\n', escapeFormulae: true }));
      }),
      { numRuns: RUNS },
    );
  });

  it('the directory export neutralises a formula with a line break (papaparse alone let it through)', () => {
    const csv = toCsv([{ type: 'recipient', name: 'Ada', notes: '=1+1\nsecond line' }], 'recipient');
    expect(csv).toContain(`"'=1+1\nsecond line"`);
  });

  it('counts records arriving in chunks, whatever line breaks and quotes the cells hold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 4 }), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (rows, cuts) => {
          const bytes = new TextEncoder().encode(rows.map(csvLine).join(''));
          const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y);
          const counter = csvRecordCounter();
          let from = 0;
          for (const to of [...at, bytes.length]) {
            counter.push(bytes.subarray(from, to));
            from = to;
          }
          expect(counter.records).toBe(rows.length);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('whole files', () => {
  it('csvText and csvTable start with a BOM, end records with CRLF and neutralise formulas', () => {
    expect(
      csvText([
        ['a', 'b'],
        ['=x', 'é'],
      ]),
    ).toBe(`${CSV_BOM}a,b\r\n"'=x",é\r\n`);
    expect(csvTable(['a', 'b'], [{ a: '@cmd', b: null }])).toBe(`${CSV_BOM}a,b\r\n"'@cmd",\r\n`);
  });
});
