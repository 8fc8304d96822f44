import type { Tracer } from '@opentelemetry/api';
import type { TelemetrySettings } from 'ai';
import type { FastifyInstance } from 'fastify';
import type { Dialect } from 'kysely';

/** Where spans go: the OTLP/HTTP (JSON) collector and the service name (config.tracing). */
export interface TracingSettings {
  /** The collector's base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans are posted to `<endpoint>/v1/traces`. */
  endpoint: string;
  serviceName: string;
  /** Sent with every export, e.g. an API key of a hosted collector (OTEL_EXPORTER_OTLP_HEADERS). */
  headers: Record<string, string>;
}

/** What the server's parts need from OpenTelemetry; absent (not a no-op) when tracing is off. */
export interface Tracing {
  tracer: Tracer;
  /** Adds @fastify/otel: one span per request, named by method and route template, with the status. */
  registerFastify(app: FastifyInstance): Promise<void>;
  /** A span per statement sent to the database, with its text (placeholders, never the bound values). */
  wrapDialect(dialect: Dialect, engine: 'sqlite' | 'postgres'): Dialect;
  /** Runs one built-in agent turn inside its own span. */
  traceAgentTurn<T>(
    attributes: { agentId: string; workspaceId: string; trigger: string; taskId: string | null },
    run: () => Promise<T>,
  ): Promise<T>;
  /** The AI SDK's own model-call spans (provider, model, tokens), without prompts or answers. */
  modelTelemetry: TelemetrySettings;
  /** Sends what is buffered and unregisters the global provider. */
  shutdown(): Promise<void>;
}

/**
 * Loads the OpenTelemetry SDK only when tracing is configured: a server without
 * OTEL_EXPORTER_OTLP_ENDPOINT never imports it, so tracing costs nothing there.
 */
export async function startTracing(settings: TracingSettings | undefined): Promise<Tracing | undefined> {
  if (!settings) return undefined;
  const { createOtelTracing } = await import('./otel-tracing.js');
  return createOtelTracing(settings);
}
