import { describe, expect, it } from 'vitest';
import { redactEventText } from './retention-redaction.js';

describe('blanking copied text in the activity feed', () => {
  it('empties a message excerpt and keeps the rest of the data', () => {
    expect(
      redactEventText({ type: 'message-posted', summary: 'user Ada commented on TASK-1', data: { messageId: 'm', excerpt: 'hi' } }),
    ).toEqual({
      data: JSON.stringify({ messageId: 'm', excerpt: '' }),
    });
    expect(redactEventText({ type: 'message-posted', summary: 'user Ada commented on TASK-1', data: { excerpt: '' } })).toBeNull();
  });

  it('cuts a mention or reply notification after its reason, and leaves other notifications alone', () => {
    const summary = 'agent notified (mentioned): user Ada mentioned you on TASK-1: the zebra plan';
    expect(redactEventText({ type: 'notification-created', summary, data: { reason: 'mentioned' } })).toEqual({
      summary: 'agent notified (mentioned)',
    });
    expect(
      redactEventText({ type: 'notification-created', summary: 'agent notified (mentioned)', data: { reason: 'mentioned' } }),
    ).toBeNull();
    const assigned = 'agent notified (assigned): you were assigned TASK-1: Ship it';
    expect(redactEventText({ type: 'notification-created', summary: assigned, data: { reason: 'assigned' } })).toBeNull();
  });

  it('blanks the text of model and CLI output steps and the error of failed runs, built-in or runner', () => {
    expect(redactEventText({ type: 'run-step', summary: 'Ada: the plan is', data: { kind: 'output' } })).toEqual({
      summary: 'Ada: output step (text deleted by data retention)',
    });
    expect(
      redactEventText({ type: 'run-step', summary: 'Ada: model step (text deleted by data retention)', data: { kind: 'model' } }),
    ).toBeNull();
    expect(redactEventText({ type: 'run-step', summary: 'Ada called list_my_work', data: { kind: 'tool-call' } })).toBeNull();
    expect(redactEventText({ type: 'run-step', summary: "Ada's tests passed: npm test", data: { kind: 'test' } })).toBeNull();
    expect(redactEventText({ type: 'run-failed', summary: "Ada's claude-code run failed: exit 1: secret", data: {} })).toEqual({
      summary: "Ada's claude-code run failed (error deleted by data retention)",
    });
    expect(redactEventText({ type: 'run-finished', summary: 'Ada finished a turn (completed): 10 tokens, $0.0001', data: {} })).toBeNull();
  });
});
