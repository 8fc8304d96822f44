/**
 * The 200-memory recall set of the memory tests and the bench: 40 systems × 5 facts each, with
 * one question per memory asked twice, once in the memory's own words ("literal") and once in
 * other words ("paraphrased"), plus the synonym groups the scripted embedding model knows.
 */
const systems = [
  'staging',
  'billing',
  'checkout',
  'payroll',
  'inventory',
  'ledger',
  'gateway',
  'scheduler',
  'mailer',
  'reporting',
  'analytics',
  'catalog',
  'identity',
  'pricing',
  'shipping',
  'invoicing',
  'warehouse',
  'telemetry',
  'payments',
  'onboarding',
  'loyalty',
  'recommendations',
  'ratings',
  'messaging',
  'uploads',
  'thumbnails',
  'geocoding',
  'forecasting',
  'compliance',
  'auditing',
  'archiving',
  'ticketing',
  'chatbot',
  'translation',
  'subscriptions',
  'coupons',
  'refunds',
  'webhooks',
  'sandbox',
  'kiosk',
] as const;
const people = ['Alice', 'Bruno', 'Chen', 'Dana', 'Emeka', 'Fatima', 'Goran', 'Hiro'];
const days = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export interface RecallCase {
  content: string;
  tags: string[];
  literal: string;
  paraphrased: string;
}

const facets: ((system: string, index: number) => RecallCase)[] = [
  (system, index) => ({
    content: `The ${system} environment is reset every ${days[index % days.length]} at ${String(index % 24).padStart(2, '0')}:00 UTC.`,
    tags: [system, 'schedule'],
    literal: `when is ${system} reset?`,
    paraphrased: `what time does ${system} get wiped?`,
  }),
  (system, index) => ({
    content: `${people[index % people.length]} owns the ${system} service and approves its changes.`,
    tags: [system, 'people'],
    literal: `who owns ${system}?`,
    paraphrased: `which maintainer is responsible for ${system}?`,
  }),
  (system) => ({
    content: `Deploy ${system} with make ship from the main branch.`,
    tags: [system, 'deploy'],
    literal: `how do I deploy ${system}?`,
    paraphrased: `how do I roll ${system} out?`,
  }),
  (system) => ({
    content: `Alerts for ${system} page the on-call rotation.`,
    tags: [system, 'alerts'],
    literal: `where do ${system} alerts go?`,
    paraphrased: `who gets notified about ${system} incidents?`,
  }),
  (system, index) => ({
    content: `Backups of ${system} are kept for ${7 + (index % 5) * 7} days in cold storage.`,
    tags: [system, 'backups'],
    literal: `how long are ${system} backups kept?`,
    paraphrased: `what is the retention for ${system} snapshots?`,
  }),
];

/** 200 memories, each with its two questions. */
export function buildRecallSet(): RecallCase[] {
  return systems.flatMap((system, index) => facets.map((facet) => facet(system, index)));
}

/** The synonym groups of the scripted embedding model: each word maps to the concept it shares with the memory's words. */
export const recallSynonyms: ReadonlyMap<string, string> = new Map([
  ['wiped', 'reset'],
  ['maintainer', 'owns'],
  ['responsible', 'owns'],
  ['roll', 'deploy'],
  ['notified', 'alerts'],
  ['incidents', 'alerts'],
  ['snapshots', 'backups'],
  ['retention', 'kept'],
]);

/** Top-1 and top-5 hit rates of ranked answers against the expected memory of each question. */
export function measureHitRates(expected: readonly string[], answers: readonly (readonly string[])[]): { top1: number; top5: number } {
  let top1 = 0;
  let top5 = 0;
  expected.forEach((id, index) => {
    const answer = answers[index] ?? [];
    if (answer[0] === id) top1 += 1;
    if (answer.slice(0, 5).includes(id)) top5 += 1;
  });
  return { top1: top1 / expected.length, top5: top5 / expected.length };
}
