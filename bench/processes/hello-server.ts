// The HTTP baseline: a bare Fastify hello world, on the same machine and core as the server.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
app.post('/hello', async (request, reply) => reply.status(201).send({ received: request.body }));
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.send?.({ type: 'ready', url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
process.on('SIGTERM', () => {
  void app.close().finally(() => process.exit(0));
});
