import {
  accountErasureConfirmation,
  accountErasureSchema,
  eraseAccountSchema,
  importWorkspaceBodySchema,
  personalDataExportSchema,
  workspaceArchiveSchema,
} from '../compliance.js';
import { userIdParamsSchema, workspaceSchema } from '../workspaces.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'compliance';

export const exportPersonalData = defineEndpoint({
  operationId: 'exportPersonalData',
  method: 'GET',
  path: '/api/v1/me/export',
  tag,
  auth: 'user',
  summary: 'Everything stored about you, as a JSON file',
  description:
    'The signed-in person’s data in every workspace they belong to (GDPR/CCPA access and portability): profile, memberships and roles, sessions (times only), personal API keys (metadata only), whether MFA is enrolled, linked single sign-on identities, messages they wrote, tasks they created or are assigned to, documents they authored, notifications and notification preferences, and audit entries where they are the actor. No token, hash or secret is ever in it. Needs a password session: a user API key or an agent answers 403 FORBIDDEN, so a leaked key cannot copy out a person’s data. Answered with `Content-Disposition: attachment; filename="mission-control-export-<date>.json"` and recorded in the audit log of the current workspace.',
  responses: { 200: { description: 'The export (formatVersion 1)', schema: personalDataExportSchema } },
  errors: ['FORBIDDEN', 'USER_NOT_FOUND'],
});

export const eraseAccount = defineEndpoint({
  operationId: 'eraseAccount',
  method: 'DELETE',
  path: '/api/v1/me',
  tag,
  auth: 'user',
  summary: 'Erase your account',
  description: `The right to erasure. Send your current password (\`{"password": …}\`), or, for an account without one (single sign-on only), \`{"confirmation": "${accountErasureConfirmation}"}\`; a wrong password answers 403 ERASURE_CONFIRMATION_INVALID and nothing changes. Refused with 409 ERASURE_LAST_OWNER (details.workspaces) while you are the last owner of a workspace that has other members: make someone else owner first. Otherwise, in one transaction: your email and name are replaced by a pseudonym ("Deleted user 4f2a9c") and your password can no longer be used, every API key is revoked and every session ended (open streams close), every membership removed, MFA factors and single sign-on identities deleted, invitations you sent revoked, invitations addressed to you, your notifications and notification preferences deleted. Messages, tasks and documents you wrote stay (they are the workspace's record) under the pseudonym; your user id stays the pseudonymous actor of the audit trail and the activity feed. Needs a password session (403 FORBIDDEN for API keys and agents).`,
  body: eraseAccountSchema,
  responses: { 200: { description: 'What was erased', schema: accountErasureSchema } },
  errors: ['FORBIDDEN', 'ERASURE_CONFIRMATION_INVALID', 'ERASURE_LAST_OWNER', 'USER_NOT_FOUND'],
});

export const eraseMember = defineEndpoint({
  operationId: 'eraseMember',
  method: 'POST',
  path: '/api/v1/members/{userId}/erase',
  tag,
  auth: 'user',
  summary: 'Erase a member’s personal data in this workspace',
  description:
    'Owners only (403 FORBIDDEN for everyone else), for an erasure request a person made to the workspace. In this workspace: their API keys are revoked, sessions ended, membership removed, invitations they sent revoked, their notifications and notification preferences deleted. When they belong to no other workspace, the account itself is pseudonymised as by DELETE /api/v1/me (`accountErased: true`); otherwise the account stays theirs elsewhere. Erase yourself with DELETE /api/v1/me instead (403). Appends `member-removed` and `member-erased` and an audit entry.',
  params: userIdParamsSchema,
  responses: { 200: { description: 'What was erased', schema: accountErasureSchema } },
  errors: ['FORBIDDEN', 'USER_NOT_FOUND'],
});

export const exportWorkspace = defineEndpoint({
  operationId: 'exportWorkspace',
  method: 'POST',
  path: '/api/v1/workspace/export',
  tag,
  auth: 'user',
  summary: 'Export the workspace as a JSON archive',
  description:
    'Owners and admins only. The workspace’s settings, tasks (keys, statuses, assignees by name, dependencies, capabilities), messages with reactions, documents with every version, and agents (name, role, kind, capabilities, instructions, runtime settings). Never a secret: no API key, sealed secret, webhook or hook secret, token or model credential; integrations, attachments’ files, runs and the audit trail are not in it. People are named, not identified: an archive carries no email. Import it with POST /api/v1/workspaces/import. Recorded in the audit log.',
  responses: {
    200: { description: 'The archive (formatVersion 1), with a Content-Disposition file name', schema: workspaceArchiveSchema },
  },
  errors: ['FORBIDDEN', 'WORKSPACE_NOT_FOUND'],
});

export const importWorkspace = defineEndpoint({
  operationId: 'importWorkspace',
  method: 'POST',
  path: '/api/v1/workspaces/import',
  tag,
  auth: 'user',
  summary: 'Create a workspace from an archive',
  description:
    'Any signed-in person. Creates a new workspace owned by the caller and restores the archive into it with new ids (every reference inside the archive is remapped). Agents keep their authorship; what people did is attributed to the importer (an archive cannot make anyone else the author of anything). Built-in agents get a new key on their first turn. A slug already taken gets a suffix. A body that is not a valid WorkspaceArchive answers 422 WORKSPACE_ARCHIVE_INVALID with the problems in `details.issues`, and nothing is created: the import is one transaction. Large archives need MISSION_BODY_LIMIT_BYTES raised.',
  body: importWorkspaceBodySchema,
  responses: { 201: { description: 'The new workspace', schema: workspaceSchema } },
  errors: ['FORBIDDEN', 'WORKSPACE_ARCHIVE_INVALID'],
});
