/** Plain-text tables for the terminal. */

export type Cell = string | number;

export const fmt = (value: number, digits = 2): string => {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-';
  if (value !== 0 && Math.abs(value) < 10 ** -digits) return value.toExponential(1);
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};

export const int = (value: number): string => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '∞');

export const table = (title: string, headers: string[], rows: Cell[][], note?: string): string => {
  const cells = rows.map((row) => row.map((c) => (typeof c === 'number' ? fmt(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]): string =>
    row
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [`\n${title}`, line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
  if (note) out.push(note);
  return out.join('\n');
};
