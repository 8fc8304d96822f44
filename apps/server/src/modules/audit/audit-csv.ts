import type { AuditEntry } from '@mission-control/contracts';

const columns = [
  'id',
  'at',
  'actorKind',
  'actorId',
  'action',
  'targetKind',
  'targetId',
  'summary',
  'ip',
  'userAgent',
  'before',
  'after',
] as const;

/**
 * One CSV cell (RFC 4180 quoting). Cells a spreadsheet would run as a formula (=, +, -, @, tab,
 * carriage return first) get a leading apostrophe, so an exported name cannot become a formula.
 */
export function toCsvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsvRow(values: readonly (string | number | null)[]): string {
  return `${values.map(toCsvCell).join(',')}\r\n`;
}

export function auditEntriesToCsv(entries: readonly AuditEntry[]): string {
  let csv = toCsvRow(columns);
  for (const entry of entries) {
    csv += toCsvRow([
      entry.id,
      entry.at,
      entry.actor.kind,
      entry.actor.id,
      entry.action,
      entry.targetKind,
      entry.targetId,
      entry.summary,
      entry.ip,
      entry.userAgent,
      entry.before ? JSON.stringify(entry.before) : null,
      entry.after ? JSON.stringify(entry.after) : null,
    ]);
  }
  return csv;
}
