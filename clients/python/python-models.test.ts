import { readFileSync } from 'node:fs';
import * as contracts from '@mission-control/contracts';
import { describe, expect, it } from 'vitest';
import { buildDocumentFrom, modelsPath, renderPythonModels } from '../../scripts/generate-python-models.mjs';

describe('clients/python/mission_control/models.py', () => {
  it('is what scripts/generate-python-models.mjs makes of the current OpenAPI document', () => {
    // The contracts' sources (not a possibly stale build), so a schema change without regenerating fails here.
    const expected = renderPythonModels(buildDocumentFrom(contracts));
    const committed = readFileSync(modelsPath, 'utf8');
    expect(committed === expected, 'models.py is out of date: run node scripts/generate-python-models.mjs').toBe(true);
  });
});
