import {
  createMemberSchema,
  createWorkspaceSchema,
  errorBodySchema,
  memberSchema,
  updateMemberSchema,
  userIdParamsSchema,
  workspaceMembershipSchema,
  workspaceSchema,
} from '@mission-control/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { WorkspaceService } from './workspace.service.js';

const tags = ['workspace'];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

export const workspaceRoutes: FastifyPluginAsyncZod<{ workspaces: WorkspaceService }> = async (app, { workspaces }) => {
  app.get(
    '/workspace',
    { schema: { tags, summary: 'The workspace of the current credential', response: { 200: workspaceSchema, ...errors } } },
    async (request) => workspaces.requireWorkspace(request.principal.workspaceId),
  );

  app.get(
    '/workspaces',
    {
      schema: {
        tags,
        summary: 'Workspaces you belong to (sign in with workspaceId to switch)',
        response: { 200: z.object({ data: z.array(workspaceMembershipSchema) }), ...errors },
      },
    },
    async (request) => ({ data: await workspaces.listWorkspacesOfUser(request.principal) }),
  );

  app.post(
    '/workspaces',
    {
      schema: {
        tags,
        summary: 'Create a workspace; you become its owner',
        body: createWorkspaceSchema,
        response: { 201: workspaceSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request, reply) => reply.status(201).send(await workspaces.createWorkspace(request.principal, request.body)),
  );

  app.get(
    '/members',
    { schema: { tags, summary: 'People in the workspace', response: { 200: z.object({ data: z.array(memberSchema) }), ...errors } } },
    async (request) => ({ data: await workspaces.listMembers(request.principal) }),
  );

  app.post(
    '/members',
    {
      schema: {
        tags,
        summary: 'Add a person (creating their account when the email is new)',
        body: createMemberSchema,
        response: { 201: memberSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request, reply) => reply.status(201).send(await workspaces.addMember(request.principal, request.body)),
  );

  app.patch(
    '/members/:userId',
    {
      schema: {
        tags,
        summary: "Change a member's role",
        params: userIdParamsSchema,
        body: updateMemberSchema,
        response: { 200: memberSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request) => workspaces.updateMemberRole(request.principal, request.params.userId, request.body.role),
  );

  app.delete(
    '/members/:userId',
    {
      schema: {
        tags,
        summary: 'Remove a member',
        params: userIdParamsSchema,
        response: { 204: z.undefined(), ...errors, 409: errorBodySchema },
      },
    },
    async (request, reply) => {
      await workspaces.removeMember(request.principal, request.params.userId);
      return reply.status(204).send();
    },
  );
};
