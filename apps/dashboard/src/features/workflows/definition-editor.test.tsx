import type { WorkflowDefinition } from '@mission-control/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithApp } from '../../test/render-with-app';
import { DefinitionEditor } from './definition-editor';
import { parseDefinitionText } from './definition-text';

const definition: WorkflowDefinition = { name: 'gate', steps: [{ id: 'approve', kind: 'approval' }] };

describe('parseDefinitionText', () => {
  it('reads JSON and YAML alike and accepts a valid definition', () => {
    expect(parseDefinitionText(JSON.stringify(definition)).errors).toEqual([]);
    expect(parseDefinitionText('name: gate\nsteps:\n  - id: approve\n    kind: approval\n').definition).toEqual(definition);
  });

  it('says every schema error at once, each with its path', () => {
    const { errors } = parseDefinitionText('name: Not Valid\nsteps:\n  - id: one\n    kind: teleport\n');
    expect(errors.map((error) => error.path)).toEqual(['name', 'steps.0.kind']);
  });

  it('says text that is neither JSON nor YAML is not readable', () => {
    expect(parseDefinitionText('{ "name": ').errors[0]?.message).toMatch(/^Not valid JSON or YAML/);
    expect(parseDefinitionText('   ').errors[0]?.message).toBe('The definition is empty.');
  });
});

describe('DefinitionEditor', () => {
  it('validates as you type: schema errors at once, the server’s errors after a pause, and saves only what both accept', async () => {
    const saved: unknown[] = [];
    const { calls } = renderWithApp(
      <DefinitionEditor definition={definition} nextVersion={2} saving={false} saveError={null} onSave={(value) => saved.push(value)} />,
      {
        'POST /workflows/validate': ({ body }) => {
          const steps = (body as { definition: WorkflowDefinition }).definition.steps;
          const bad = steps.some((step) => step.needs?.includes('nowhere'));
          return {
            status: 200,
            body: bad
              ? { valid: false, errors: [{ path: 'steps.0.needs.0', message: 'needs an unknown step "nowhere"' }] }
              : { valid: true, errors: [] },
          };
        },
      },
    );
    const field = screen.getByLabelText('Definition (YAML)');
    const save = screen.getByRole('button', { name: 'Save as version 2' });
    expect(await screen.findByText('The definition is valid.')).toBeTruthy();
    expect(save.hasAttribute('disabled')).toBe(false);

    fireEvent.change(field, { target: { value: 'name: gate\nsteps:\n  - id: approve\n    kind: wait\n' } });
    expect(screen.getByText(/unknown step kind: use one of task, condition/)).toBeTruthy();
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(save.hasAttribute('disabled')).toBe(true);

    fireEvent.change(field, { target: { value: 'name: gate\nsteps:\n  - id: approve\n    kind: approval\n    needs: [nowhere]\n' } });
    expect(await screen.findByText(/needs an unknown step "nowhere"/)).toBeTruthy();
    expect(save.hasAttribute('disabled')).toBe(true);

    fireEvent.change(field, { target: { value: 'name: gate\nsteps:\n  - id: approve\n    kind: approval\n    name: Sign off\n' } });
    await waitFor(() => expect(save.hasAttribute('disabled')).toBe(false));
    fireEvent.click(save);
    expect(saved).toEqual([{ name: 'gate', steps: [{ id: 'approve', kind: 'approval', name: 'Sign off' }] }]);
    expect(calls.filter((call) => call.path === '/workflows/validate').length).toBeGreaterThanOrEqual(3);
  });

  it('turns the draft into JSON and back without losing it', async () => {
    renderWithApp(<DefinitionEditor definition={definition} nextVersion={2} saving={false} saveError={null} onSave={() => {}} />, {
      'POST /workflows/validate': () => ({ status: 200, body: { valid: true, errors: [] } }),
    });
    fireEvent.click(screen.getByRole('button', { name: 'JSON' }));
    const field = screen.getByLabelText('Definition (JSON)') as HTMLTextAreaElement;
    expect(JSON.parse(field.value)).toEqual(definition);
  });
});
