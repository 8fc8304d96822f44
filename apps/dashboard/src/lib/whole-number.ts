/**
 * A whole number from what a person typed: " 300 ", "1,500", "1 500" and "1_500" included;
 * undefined for anything else ("1.5", "-3", "ten", ""), so each form says in its own words what it
 * wants.
 */
export function wholeNumber(text: string): number | undefined {
  const cleaned = text.trim().replace(/[\s,_]/g, '');
  return /^\d+$/.test(cleaned) ? Number(cleaned) : undefined;
}
