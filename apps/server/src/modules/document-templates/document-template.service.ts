import type { CreateDocumentTemplateInput, DocumentTemplate } from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import { AppError } from '../../http/app-error.js';
import { builtInTemplates } from './built-in-templates.js';
import { findDocumentTemplate, insertDocumentTemplate, listDocumentTemplates, toDocumentTemplate } from './document-template.repository.js';

export type DocumentTemplateService = ReturnType<typeof createDocumentTemplateService>;

export function createDocumentTemplateService(context: ServiceContext) {
  const { db, clock } = context;
  return {
    async listTemplates(principal: Principal): Promise<DocumentTemplate[]> {
      assertCan(principal, 'workspace:read');
      const own = await listDocumentTemplates(db, principal.workspaceId);
      return [...builtInTemplates, ...own.map(toDocumentTemplate)];
    },

    async createTemplate(principal: Principal, input: CreateDocumentTemplateInput): Promise<DocumentTemplate> {
      assertCan(principal, 'work:write');
      const row = { id: createId(), workspace_id: principal.workspaceId, ...input, created_at: clock.now().toISOString() };
      await insertDocumentTemplate(db, row);
      return toDocumentTemplate(row);
    },

    /** The template a new document starts from: built in, or one of the workspace's own. */
    async requireTemplate(principal: Principal, templateId: string): Promise<DocumentTemplate> {
      const builtIn = builtInTemplates.find((template) => template.id === templateId);
      if (builtIn) return builtIn;
      const row = await findDocumentTemplate(db, principal.workspaceId, templateId);
      if (!row) {
        throw new AppError(
          'DOCUMENT_TEMPLATE_NOT_FOUND',
          `No document template ${templateId} in your workspace. List them with GET /api/v1/document-templates.`,
        );
      }
      return toDocumentTemplate(row);
    },
  };
}
