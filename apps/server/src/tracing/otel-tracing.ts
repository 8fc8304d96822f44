import { FastifyOtelInstrumentation } from '@fastify/otel';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { FastifyInstance } from 'fastify';
import { version } from '../version.js';
import { withStatementSpans } from './statement-spans.js';
import type { Tracing, TracingSettings } from './tracing.js';

/** The SDK side of tracing.ts; only ever imported dynamically. */
export function createOtelTracing(settings: TracingSettings): Tracing {
  const exporter = new OTLPTraceExporter({ url: `${settings.endpoint.replace(/\/+$/, '')}/v1/traces`, headers: settings.headers });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName, 'service.version': version }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  // Global: @fastify/otel and the AI SDK follow the active span through AsyncLocalStorage.
  provider.register();
  const tracer = provider.getTracer('mission-control', version);

  return {
    tracer,
    async registerFastify(app: FastifyInstance) {
      const instrumentation = new FastifyOtelInstrumentation({
        // Hook and handler spans would double every request; the request span and its queries say enough.
        instrumentHooks: false,
        instrumentHandler: false,
        requestHook: (span, request) => {
          const route = request.routeOptions.url;
          if (route) span.updateName(`${request.method} ${route}`);
        },
      });
      instrumentation.setTracerProvider(provider);
      await app.register(instrumentation.plugin());
    },
    wrapDialect: (dialect, engine) => withStatementSpans(dialect, tracer, engine),
    traceAgentTurn(attributes, run) {
      return tracer.startActiveSpan(
        'agent turn',
        {
          kind: SpanKind.INTERNAL,
          attributes: {
            'mission.agent.id': attributes.agentId,
            'mission.workspace.id': attributes.workspaceId,
            'mission.turn.trigger': attributes.trigger,
            ...(attributes.taskId ? { 'mission.task.id': attributes.taskId } : {}),
          },
        },
        async (span) => {
          try {
            return await run();
          } catch (error) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
            throw error;
          } finally {
            span.end();
          }
        },
      );
    },
    modelTelemetry: { isEnabled: true, tracer, recordInputs: false, recordOutputs: false, functionId: 'agent-turn' },
    async shutdown() {
      await provider.shutdown();
      // A later start in the same process (tests) registers afresh.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
