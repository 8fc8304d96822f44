/**
 * English words too common to tell memories apart. PostgreSQL's english configuration drops them
 * itself; FTS5 does not, and "how do I …" would otherwise match every memory with "do" or "I".
 */
const stopWords = new Set(
  (
    'a an and are as at be by can do does did for from get gets got had has have how i in into is it its me my of on or our ' +
    'should so than that the their them then there these they this to was we were what when where which who why will with ' +
    'would you your'
  ).split(' '),
);

/** Words of a question, for any-term matching; letters and digits only, so no query syntax gets through. */
export function toSearchTerms(text: string): string[] {
  const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !stopWords.has(word));
  return [...new Set(words)].slice(0, 32);
}
