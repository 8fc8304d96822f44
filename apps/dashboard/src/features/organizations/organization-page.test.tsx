import type { Organization, OrganizationMember } from '@mission-control/contracts';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { Toaster } from '../../lib/toasts';
import { createFakeOrganizations, makeOrganization, makeOrganizationMember, testWorkspace } from '../../test/fake-organizations';
import { makeSession } from '../../test/fixtures';
import { type RouteHandler, renderWithApp } from '../../test/render-with-app';
import { parseLimit } from './organization-form';
import OrganizationPage from './organization-page';
import { describeLimit, formatDollars, limitFields, periodLabel } from './organization-wording';

function renderPage(options: { organization?: Organization; members?: OrganizationMember[]; others?: Record<string, RouteHandler> } = {}) {
  const session = makeSession('owner', testWorkspace);
  const you = makeOrganizationMember('Olivia', 'olivia@example.com', {
    userId: session.user.id,
    role: options.organization?.role ?? 'owner',
  });
  const fake = createFakeOrganizations({
    ...options,
    members: options.members ?? [you, makeOrganizationMember('Nova Newcomer', 'nova@example.com', { mfaEnrolled: true })],
  });
  const view = renderWithApp(
    <>
      <OrganizationPage />
      <Toaster />
    </>,
    fake.routes,
  );
  act(() => view.services.session.set(session));
  return { ...view, fake };
}

async function expectNoSeriousViolations(container: HTMLElement) {
  const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
  const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => [violation.id, violation.nodes.map((node) => node.html)])).toEqual([]);
}

const limitText = (key: string) => screen.getByTestId(`limit-${key}`).textContent;
const patches = (calls: Array<{ method: string; path: string; body: unknown }>) => calls.filter((call) => call.method === 'PATCH');

describe('organisation wording', () => {
  it('says each limit with what was used, in dollars for money, and "No limit" when there is none', () => {
    const organization = makeOrganization({
      limits: {
        maxAgents: 10,
        maxWorkspaces: null,
        monthlyTokenLimit: 1_000_000,
        monthlyCostLimitMicroDollars: 50_000_000,
        requestsPerMinute: 600,
      },
    });
    const said = Object.fromEntries(limitFields.map((field) => [field.key, describeLimit(field, organization)]));
    expect(said).toEqual({
      maxAgents: '3 of 10',
      maxWorkspaces: '1 · No limit',
      monthlyTokenLimit: '12,400 of 1,000,000',
      monthlyCostLimitMicroDollars: '$1.25 of $50.00',
      requestsPerMinute: '600',
    });
    expect(formatDollars(1_500)).toBe('$0.0015');
    expect(periodLabel('2026-12')).toBe('December 2026');
  });

  it('reads a limit field: empty is no limit, commas are fine, dollars become millionths, words are not numbers', () => {
    expect(parseLimit('', false)).toBeNull();
    expect(parseLimit(' 1,000,000 ', false)).toBe(1_000_000);
    expect(parseLimit('$12.50', true)).toBe(12_500_000);
    expect(parseLimit('ten', false)).toBeUndefined();
    expect(parseLimit('1.5', false)).toBeUndefined();
  });
});

describe('the organisation page', () => {
  it('shows the organisation of the current workspace, your role, the limits with usage and the sign-in rules', async () => {
    const view = renderPage();
    await screen.findByRole('heading', { name: 'Acme Group', level: 2 });
    expect(screen.getByText(/of this organisation\.$/).textContent).toBe('You are owner of this organisation.');
    expect(limitText('maxAgents')).toBe('Agents: 3 of 10');
    expect(limitText('monthlyTokenLimit')).toBe('Model tokens this month: 12,400 of 1,000,000');
    expect(limitText('monthlyCostLimitMicroDollars')).toBe('Model cost this month: $1.25 · No limit');
    expect(limitText('requestsPerMinute')).toBe('API requests a minute: No limit');
    expect(screen.getByTestId('password-sign-in').textContent).toBe('Password sign-in: On');
    expect(screen.getByTestId('mfa-required').textContent).toBe('Require a second factor: Off');
    const nova = within((await screen.findByText('nova@example.com')).closest('li') as HTMLElement);
    expect(nova.getByText('Has a second factor')).toBeTruthy();
    await expectNoSeriousViolations(view.container);
  });

  it('saves only what the owner changed: a limit, an emptied limit as null, dollars as millionths', async () => {
    const view = renderPage();
    const form = within(await screen.findByRole('form', { name: 'Organisation settings' }));
    fireEvent.change(form.getByLabelText('Agents'), { target: { value: '25' } });
    fireEvent.change(form.getByLabelText('Model tokens this month'), { target: { value: '' } });
    fireEvent.change(form.getByLabelText('Model cost this month (dollars)'), { target: { value: '40.5' } });
    fireEvent.click(form.getByLabelText('Require a second factor'));
    // Olivia has no second factor: the form says what saving means for her.
    expect(form.getByText(/You have none yet: once you save, you set one up first\./)).toBeTruthy();
    fireEvent.click(form.getByRole('button', { name: 'Save organisation' }));
    await screen.findByText('Organisation settings saved.');
    expect(patches(view.calls).map((call) => call.body)).toEqual([
      { limits: { maxAgents: 25, monthlyTokenLimit: null, monthlyCostLimitMicroDollars: 40_500_000 }, mfaRequired: true },
    ]);
    await waitFor(() => expect(limitText('maxAgents')).toBe('Agents: 3 of 25'));
    expect(limitText('monthlyCostLimitMicroDollars')).toBe('Model cost this month: $1.25 of $40.50');
  });

  it('says a field’s problem on the field: typed text first, then the server’s 400 issues and its 409 SSO_NOT_CONFIGURED', async () => {
    const view = renderPage();
    const form = within(await screen.findByRole('form', { name: 'Organisation settings' }));
    const agents = form.getByLabelText('Agents');
    fireEvent.change(agents, { target: { value: 'ten' } });
    fireEvent.click(form.getByRole('button', { name: 'Save organisation' }));
    expect(await form.findByText('Type a whole number from 0 to 100,000, or leave it empty for no limit.')).toBeTruthy();
    expect(agents.getAttribute('aria-invalid')).toBe('true');
    expect(patches(view.calls)).toEqual([]);

    fireEvent.change(agents, { target: { value: '10' } });
    fireEvent.click(form.getByLabelText('Password sign-in'));
    fireEvent.click(form.getByRole('button', { name: 'Save organisation' }));
    const refusal = await form.findByText(/^Single sign-on is not set up, for the organisation or on this server/);
    expect(form.getByLabelText('Password sign-in').getAttribute('aria-describedby')).toContain(refusal.id);
    expect(patches(view.calls).map((call) => call.body)).toEqual([{ passwordSignInDisabled: true }]);
  });

  it('puts the server’s validation issues on the limit they name', async () => {
    const view = renderPage();
    // A rule the form does not know (a server with a lower maximum, say): the server's issue is said on its field.
    view.fake.routes[`PATCH /organizations/${view.fake.organization().id}`] = () => ({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'Invalid body.',
          details: { issues: [{ path: 'body.limits.requestsPerMinute', message: 'Too big: expected number to be <=1000000' }] },
        },
      },
    });
    const form = within(await screen.findByRole('form', { name: 'Organisation settings' }));
    fireEvent.change(form.getByLabelText('API requests a minute'), { target: { value: '600' } });
    fireEvent.click(form.getByRole('button', { name: 'Save organisation' }));
    expect(await form.findByText('Type a whole number from 0 to 1,000,000, or leave it empty for no limit.')).toBeTruthy();
    expect(form.getByLabelText('API requests a minute').getAttribute('aria-invalid')).toBe('true');
  });

  it('lets an owner change someone’s organisation role, and says why the last owner cannot step down', async () => {
    const view = renderPage();
    const nova = within((await screen.findByText('nova@example.com')).closest('li') as HTMLElement);
    fireEvent.change(nova.getByLabelText('Organisation role of Nova Newcomer'), { target: { value: 'admin' } });
    await screen.findByText('Nova Newcomer is now admin of the organisation.');
    const you = within(screen.getByText('olivia@example.com').closest('li') as HTMLElement);
    fireEvent.change(you.getByLabelText('Organisation role of Olivia'), { target: { value: 'member' } });
    await screen.findByText('An organisation needs at least one owner: make someone else owner first.');
    expect(patches(view.calls).map((call) => call.body)).toEqual([{ role: 'admin' }, { role: 'member' }]);
    expect(view.fake.members().map((member) => member.role)).toEqual(['owner', 'admin']);
  });

  it('shows everything read-only to someone who is not an owner', async () => {
    const view = renderPage({ organization: makeOrganization({ role: 'admin' }) });
    await screen.findByText('Only owners of the organisation can change its name, limits and sign-in rules.');
    expect(screen.getByText(/of this organisation\.$/).textContent).toBe('You are admin of this organisation.');
    expect(screen.queryByRole('form', { name: 'Organisation settings' })).toBeNull();
    await screen.findByText('nova@example.com');
    expect(screen.queryByLabelText(/^Organisation role of/)).toBeNull();
    expect(screen.getByText('Only owners of the organisation can change organisation roles.')).toBeTruthy();
    await expectNoSeriousViolations(view.container);
  });
});
