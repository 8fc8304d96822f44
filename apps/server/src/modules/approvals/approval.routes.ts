import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { ApprovalService } from './approval.service.js';

export async function approvalRoutes(app: FastifyInstance, { approvals }: { approvals: ApprovalService }): Promise<void> {
  registerEndpoint(app, endpoints.listApprovals, async (request) => approvals.listApprovals(request.principal, request.query));
  registerEndpoint(app, endpoints.approveApproval, async (request) =>
    approvals.decideApproval(request.principal, request.params.id, true, request.body.comment),
  );
  registerEndpoint(app, endpoints.rejectApproval, async (request) =>
    approvals.decideApproval(request.principal, request.params.id, false, request.body.comment),
  );
}
