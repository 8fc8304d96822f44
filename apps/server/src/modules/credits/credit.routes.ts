import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { prefersCsv } from '../../http/content-negotiation.js';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { CreditService } from './credit.service.js';

export async function creditRoutes(app: FastifyInstance, { credits }: { credits: CreditService }): Promise<void> {
  registerEndpoint(app, endpoints.getCreditBalance, async (request) => credits.getBalance(request.principal));
  registerEndpoint(app, endpoints.listCreditTransactions, async (request, reply) => {
    if (request.query.format === 'csv' || prefersCsv(request.headers.accept)) {
      const csv = await credits.exportTransactionsCsv(request.principal, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="credit-transactions.csv"')
        .send(csv);
    }
    return credits.listTransactions(request.principal, request.query);
  });
  registerEndpoint(app, endpoints.grantCredits, async (request) => {
    const key = request.headers['idempotency-key'];
    return credits.grantCredits(request.principal, request.body, typeof key === 'string' ? key : undefined);
  });
}
