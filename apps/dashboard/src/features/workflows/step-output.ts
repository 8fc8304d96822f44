import { type PrincipalReference, principalReferenceSchema } from '@mission-control/contracts';
import { z } from 'zod';

// The outputs the engine writes for its own step kinds; anything else is shown as it is.
const taskOutputSchema = z.object({ taskKey: z.string(), title: z.string(), taskStatus: z.string() });
const approvalOutputSchema = z.object({
  decision: z.string(),
  comment: z.string().nullable().optional(),
  decidedBy: principalReferenceSchema.nullable().optional(),
});
const conditionOutputSchema = z.object({ result: z.boolean(), branch: z.string(), targets: z.array(z.string()) });

/** A step's output in a sentence, or null when it is not one the engine's step kinds write. */
export function describeStepOutput(
  output: unknown,
  nameOf: (reference: PrincipalReference | null | undefined) => string,
  stepName: (stepId: string) => string,
): string | null {
  const task = taskOutputSchema.safeParse(output);
  if (task.success) return `Task ${task.data.taskKey} “${task.data.title}” ended ${task.data.taskStatus.replace(/_/g, ' ')}.`;
  const approval = approvalOutputSchema.safeParse(output);
  if (approval.success) {
    const by = approval.data.decidedBy ? ` by ${nameOf(approval.data.decidedBy)}` : '';
    return `${approval.data.decision.charAt(0).toUpperCase()}${approval.data.decision.slice(1)}${by}${approval.data.comment ? `: “${approval.data.comment}”` : '.'}`;
  }
  const condition = conditionOutputSchema.safeParse(output);
  if (condition.success) {
    const targets = condition.data.targets.map(stepName);
    return `The condition was ${condition.data.result}: the ${condition.data.branch} branch${targets.length > 0 ? ` goes on to ${targets.join(', ')}` : ' has no steps'}.`;
  }
  return null;
}
