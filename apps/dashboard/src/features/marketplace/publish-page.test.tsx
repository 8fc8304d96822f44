import type { Skill } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeAgent, testId, workspaceId } from '../../test/fixtures';
import { errorAnswer, expectNoSeriousViolations, makeListing, renderMarketplace } from './marketplace-test-fixtures';
import { problemLocation } from './marketplace-wording';
import PublishPage from './publish-page';

const scout = makeAgent({ name: 'scout', role: 'Researcher' });
const writer = makeAgent({ name: 'writer', role: 'Writer' });
const skill: Skill = {
  id: testId(),
  workspaceId,
  name: 'Cite sources',
  description: 'Quote, then link',
  body: '1. Quote',
  capabilities: [],
  sourceTaskId: null,
  version: 1,
  author: { kind: 'user', id: testId() },
  usage: { uses: 0, succeeded: 0, failed: 0 },
  createdAt: '2026-01-01T09:00:00.000Z',
  updatedAt: '2026-01-01T09:00:00.000Z',
};

const unsafe = errorAnswer(422, 'LISTING_CONTENT_UNSAFE', 'Nothing was published: 2 problems, the first at agents[0].memoryContext', {
  problems: [
    {
      path: 'agents[0].memoryContext',
      problem: 'secret',
      message: 'This looks like an OpenAI or Anthropic key. Remove it and let installers add their own.',
    },
    {
      path: 'skills[0].body',
      problem: 'reference',
      message: `The id ${scout.id} points into your workspace and means nothing in another one. Refer to agents and skills by name.`,
    },
  ],
});

function renderPublish(at: string, answer: () => { status: number; body: unknown }) {
  return renderMarketplace(<PublishPage />, {
    at,
    routes: {
      'GET /agents': () => ({ status: 200, body: { data: [scout, writer], nextCursor: null } }),
      'GET /workflows': () => ({ status: 200, body: { data: [] } }),
      'GET /skills': () => ({ status: 200, body: { data: [skill], nextCursor: null } }),
      'POST /marketplace/listings': answer,
    },
  });
}

describe('problem locations in words', () => {
  it('names the agent, skill or workflow and the field', () => {
    const names = { agents: ['scout'], workflows: ['weekly-digest'], skills: ['Cite sources'] };
    expect(problemLocation('agents[0].memoryContext', names)).toBe('the agent scout, its memory');
    expect(problemLocation('agents[0].runtime.instructions', names)).toBe('the agent scout, its instructions');
    expect(problemLocation('agents[0].capabilities[2]', names)).toBe('the agent scout, its capabilities');
    expect(problemLocation('skills[0].body', names)).toBe('the skill Cite sources, its procedure');
    expect(problemLocation('workflows[0].definition.steps[1].task.description', names)).toBe(
      'the workflow weekly-digest, step 2, task description',
    );
  });
});

describe('the publish page', () => {
  it('starts with the agent it was opened for, checks the fields, and lists each unsafe problem in plain words', async () => {
    const view = renderPublish(`/marketplace/publish?kind=agent&source=${scout.id}`, () => unsafe);
    const form = within(await screen.findByRole('form', { name: 'Publish a listing' }));
    await waitFor(() => expect((form.getByLabelText('The agent to publish') as HTMLSelectElement).value).toBe(scout.id));
    expect((form.getByLabelText(/Agent —/) as HTMLInputElement).checked).toBe(true);

    fireEvent.click(form.getByRole('button', { name: 'Publish' }));
    expect(await form.findByText('Give it a title.')).toBeTruthy();
    expect(form.getByText('Say in a line what it does.')).toBeTruthy();
    expect(form.getByText('Give it a category, such as research.')).toBeTruthy();
    expect(form.getByLabelText('Title').getAttribute('aria-invalid')).toBe('true');
    expect(view.calls.filter((call) => call.method === 'POST')).toEqual([]);

    fireEvent.change(form.getByLabelText('Title'), { target: { value: 'Scout' } });
    fireEvent.change(form.getByLabelText('Summary'), { target: { value: 'Finds and summarises sources' } });
    fireEvent.change(form.getByLabelText('Category'), { target: { value: 'Research' } });
    fireEvent.change(form.getByLabelText('Tags (comma separated, optional)'), { target: { value: 'Sources, due diligence' } });
    fireEvent.click(form.getByRole('button', { name: 'Publish' }));
    const problems = within(await screen.findByTestId('content-problems'));
    expect(problems.getByText(/^Nothing was published: 2 things in the content must not be shared/)).toBeTruthy();
    expect(problems.getAllByTestId('content-problem').map((item) => item.textContent)).toEqual([
      'Looks like a secret in the agent scout, its memory.This looks like an OpenAI or Anthropic key. Remove it and let installers add their own.',
      `Points into your workspace in skill 1, its procedure.The id ${scout.id} points into your workspace and means nothing in another one. Refer to agents and skills by name.`,
    ]);
    expect(view.calls.find((call) => call.method === 'POST')?.body).toEqual({
      kind: 'agent',
      sourceId: scout.id,
      title: 'Scout',
      summary: 'Finds and summarises sources',
      description: '',
      category: 'research',
      tags: ['sources', 'due-diligence'],
      visibility: 'public',
      pricing: { model: 'free' },
    });
    await expectNoSeriousViolations(view.container);
  });

  it('publishes a bundle of chosen agents and skills with a price, naming each problem’s item, then opens the listing', async () => {
    let answer: () => { status: number; body: unknown } = () => unsafe;
    const published = makeListing({ title: 'Research squad', kind: 'bundle' });
    const view = renderPublish('/marketplace/publish', () => answer());
    const form = within(await screen.findByRole('form', { name: 'Publish a listing' }));
    fireEvent.click(form.getByLabelText(/^Bundle —/));
    fireEvent.click(await form.findByRole('checkbox', { name: /^scout/ }));
    fireEvent.click(form.getByRole('checkbox', { name: /^Cite sources/ }));
    fireEvent.change(form.getByLabelText('Title'), { target: { value: 'Research squad' } });
    fireEvent.change(form.getByLabelText('Summary'), { target: { value: 'Scout and its skill' } });
    fireEvent.change(form.getByLabelText('Category'), { target: { value: 'research' } });
    fireEvent.change(form.getByLabelText('Price'), { target: { value: 'subscription' } });
    expect(
      form.getByText(/^Workspaces subscribe with their credits: the first month is charged at once, then every month until they cancel/),
    ).toBeTruthy();
    expect(form.queryByText(/not on sale/)).toBeNull();
    fireEvent.change(form.getByLabelText('Credits a month'), { target: { value: 'nine hundred' } });
    fireEvent.click(form.getByRole('button', { name: 'Publish' }));
    expect(await form.findByText('Type a whole number of credits from 1 to 100,000,000.')).toBeTruthy();
    fireEvent.change(form.getByLabelText('Credits a month'), { target: { value: '900' } });
    fireEvent.click(form.getByRole('button', { name: 'Publish' }));
    const problems = within(await screen.findByTestId('content-problems'));
    expect(problems.getByText(/in the skill Cite sources, its procedure\.$/)).toBeTruthy();
    expect(view.calls.find((call) => call.method === 'POST')?.body).toMatchObject({
      kind: 'bundle',
      sourceIds: [
        { kind: 'agent', id: scout.id },
        { kind: 'skill', id: skill.id },
      ],
      pricing: { model: 'subscription', monthlyCredits: 900 },
    });

    answer = () => ({ status: 201, body: published });
    fireEvent.click(form.getByRole('button', { name: 'Publish' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe(`/marketplace/listings/${published.id}`));
    expect(await screen.findByText('Published Research squad to the marketplace.')).toBeTruthy();
  });
});
