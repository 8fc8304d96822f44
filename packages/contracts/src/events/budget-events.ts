import { z } from 'zod';
import { idSchema } from '../common.js';
import { defineEvent } from './event-base.js';

const budgetUsageShape = {
  budgetId: idSchema,
  percentUsed: z.number().describe('The larger of the token and cost shares used, in percent'),
  period: z.string().describe('The month, as YYYY-MM (UTC)'),
  usedTokens: z.number().int(),
  usedCostMicroDollars: z.number().int(),
};

export const budgetWarningEventSchema = defineEvent(
  'budget-warning',
  { id: 'BudgetWarningEvent', description: 'A monthly budget passed 80% (announced once a month, with a notification to the owners).' },
  budgetUsageShape,
);

export const budgetExhaustedEventSchema = defineEvent(
  'budget-exhausted',
  {
    id: 'BudgetExhaustedEvent',
    description:
      "A monthly budget reached 100%: the agent's (or workspace's) built-in turns stop until the limit is raised or the month turns.",
  },
  budgetUsageShape,
);

export const budgetEventSchemas = [budgetWarningEventSchema, budgetExhaustedEventSchema] as const;
