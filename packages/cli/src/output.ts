/** Writes a JSON value on one line of stdout (scripts pipe it to jq). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value ?? null)}\n`);
}

/** Writes lines of text to stdout. */
export function printLines(...lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Writes a diagnostic to stderr (never mixed with the data on stdout). */
export function printNotice(line: string): void {
  process.stderr.write(`${line}\n`);
}

const maxCellWidth = 60;

function cell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  const text = String(value).replace(/\s+/g, ' ');
  return text.length > maxCellWidth ? `${text.slice(0, maxCellWidth - 1)}…` : text;
}

/** Prints rows as an aligned table with upper-case headers; "(none)" when empty. */
export function printTable<Row>(rows: readonly Row[], columns: readonly [header: string, value: (row: Row) => unknown][]): void {
  if (rows.length === 0) {
    printLines('(none)');
    return;
  }
  const cells = rows.map((row) => columns.map(([, value]) => cell(value(row))));
  const headers = columns.map(([header]) => header.toUpperCase());
  const widths = headers.map((header, index) => Math.max(header.length, ...cells.map((line) => line[index]?.length ?? 0)));
  const format = (line: string[]) =>
    line
      .map((text, index) => (index === line.length - 1 ? text : text.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd();
  printLines(format(headers), ...cells.map(format));
}

/** Prints "label: value" pairs aligned. */
export function printFields(fields: readonly [label: string, value: unknown][]): void {
  const width = Math.max(...fields.map(([label]) => label.length));
  printLines(
    ...fields.map(
      ([label, value]) => `${`${label}:`.padEnd(width + 2)}${value === null || value === undefined || value === '' ? '-' : String(value)}`,
    ),
  );
}

/** A timestamp in local time, short. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

/** Reads all of stdin as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a duration such as 30s, 5m, 1h or a plain number of seconds, into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = match[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1_000 : unit === 'm' ? 60_000 : 3_600_000;
  return amount * factor;
}
