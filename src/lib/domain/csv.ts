// CSV cells and rows as spreadsheets read them (RFC 4180), shared by every export the product
// writes: the directory export, the package history export and the reports' tables. A cell that a
// spreadsheet would run as a formula (it starts with = + - @, a tab or a carriage return) gets a
// leading apostrophe, so opening an export never runs what someone typed into a package's notes.

/** Put first in a file so Excel reads it as UTF-8. */
export const CSV_BOM = '\uFEFF';

/** The line end RFC 4180 and Excel expect. */
export const CSV_NEWLINE = '\r\n';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n\uFEFF]|^ | $/;

export type CsvValue = string | number | boolean | bigint | Date | null | undefined;

/** Whether a text cell would be read as a formula, and so is prefixed with `'`. */
export const looksLikeFormula = (text: string) => FORMULA_START.test(text);

/**
 * One cell: empty for null/undefined, ISO text for a date, numbers and booleans as they are, text
 * neutralised when it starts like a formula and quoted (`"` doubled) when it holds a comma, a
 * quote, a line break, or starts or ends with a space.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (typeof value !== 'string') return String(value);
  const neutral = looksLikeFormula(value);
  const text = neutral ? `'${value}` : value;
  return neutral || NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole file: BOM, a header row of `columns`, then one record per row (values by column name). */
export function csvTable(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  return CSV_BOM + csvLine(columns) + rows.map((r) => csvLine(columns.map((c) => r[c] as CsvValue))).join('');
}

/** A whole file from rows of cells: BOM first, one record per row. */
export const csvText = (rows: readonly (readonly CsvValue[])[]) => CSV_BOM + rows.map(csvLine).join('');

/** One record without its line end. */
export const csvRow = (values: readonly CsvValue[]) => values.map(csvCell).join(',');

/** One record with its line end, ready to append to a file or a stream. */
export const csvLine = (values: readonly CsvValue[]) => csvRow(values) + CSV_NEWLINE;

/** The text a reader gets back from a cell: what was written, with the neutralising `'` if any. */
export const csvReadBack = (text: string) => (looksLikeFormula(text) ? `'${text}` : text);

/**
 * Counts the records of a CSV arriving as UTF-8 chunks: a line feed ends a record unless it is
 * inside quotes (a doubled quote toggles twice, so it changes nothing). Quotes and line feeds are
 * single bytes in UTF-8, never part of another character.
 */
export function csvRecordCounter() {
  let quoted = false;
  let records = 0;
  return {
    push(bytes: Uint8Array): number {
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i];
        if (b === 0x22) quoted = !quoted;
        else if (b === 0x0a && !quoted) records++;
      }
      return records;
    },
    get records() {
      return records;
    },
  };
}
