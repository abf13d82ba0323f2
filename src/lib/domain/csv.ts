// CSV that Excel and LibreOffice open as it was meant: UTF-8 with a byte order mark, every cell
// quoted, and a cell that starts like a formula (= + - @, or a tab or carriage return before one)
// prefixed with ' so a spreadsheet shows it as text instead of running it.

export const CSV_BOM = '\uFEFF';

/** One cell: quoted, quotes doubled, formula starts neutralised. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** Rows of cells as one CSV text (CRLF line ends, a BOM first). */
export function csvText(rows: unknown[][]): string {
  return CSV_BOM + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
