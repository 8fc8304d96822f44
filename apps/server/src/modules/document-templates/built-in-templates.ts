import type { DocumentTemplate } from '@mission-control/contracts';

/** The templates every workspace has; kept in code so they improve with releases. */
export const builtInTemplates: readonly DocumentTemplate[] = [
  {
    id: 'prd',
    name: 'Product requirements (PRD)',
    description: 'The problem, who has it, what to build and how to know it worked.',
    type: 'deliverable',
    builtIn: true,
    content:
      '# Product requirements\n\n## Problem\n\n## Who has it\n\n## What we build\n\n## Out of scope\n\n## How we know it worked\n\n## Open questions\n',
  },
  {
    id: 'research-note',
    name: 'Research note',
    description: 'A question, the sources read and what they say.',
    type: 'research',
    builtIn: true,
    content: '# Research note\n\n## Question\n\n## Sources\n\n- \n\n## Findings\n\n## What it means for us\n',
  },
  {
    id: 'runbook',
    name: 'Runbook',
    description: 'Steps to follow when something happens, and how to check they worked.',
    type: 'protocol',
    builtIn: true,
    content: '# Runbook\n\n## When to use this\n\n## Before you start\n\n## Steps\n\n1. \n\n## Check it worked\n\n## If it did not\n',
  },
  {
    id: 'standup',
    name: 'Standup',
    description: 'Done since last time, doing next, and what is in the way.',
    type: 'deliverable',
    builtIn: true,
    content: '# Standup\n\n## Done\n\n- \n\n## Next\n\n- \n\n## Blocked by\n\n- \n',
  },
];
