import { createHash, createHmac } from 'node:crypto';
import {
  canonicalRequestText,
  signatureHeader,
  signatureNonceHeader,
  signatureNoncePattern,
  signatureTimestampHeader,
  signingKeyPurpose,
} from '@mission-control/contracts';
import { describe, expect, it } from 'vitest';
import { MissionControl } from './index.js';
import { computeSignature, createNonce, createRequestSigner, deriveSigningKey, hashBody, serializeForm } from './request-signing.js';

const secret = 'mc_0123456789abcdefghijklmnopqrstuvwxyz';

/** The signature as the server computes it, with node:crypto. */
function signWithNode(parts: {
  method: string;
  pathWithQuery: string;
  timestamp: string;
  nonce: string;
  body: string | Uint8Array;
}): string {
  const signingKey = createHmac('sha256', secret).update(signingKeyPurpose).digest();
  const bodySha256 = createHash('sha256').update(parts.body).digest('hex');
  return `v1=${createHmac('sha256', signingKey)
    .update(canonicalRequestText({ ...parts, bodySha256 }))
    .digest('hex')}`;
}

interface SentRequest {
  url: string;
  headers: Headers;
  body: Uint8Array;
}

/** A client whose fetch records what it would send and answers 503, so every retry is seen. */
function createRecordingClient(credential: string, retries = 0) {
  const sent: SentRequest[] = [];
  const client = new MissionControl({
    baseUrl: 'http://127.0.0.1:9',
    apiKey: credential,
    retry: { retries, minDelayMs: 1, maxDelayMs: 2 },
    fetch: async (url, init) => {
      const request = new Request(url, init);
      sent.push({ url, headers: request.headers, body: new Uint8Array(await request.arrayBuffer()) });
      return Response.json({ error: { code: 'SERVICE_UNAVAILABLE', message: 'busy' } }, { status: 503 });
    },
  });
  return { client, sent };
}

/** The signature a recorded request should carry, recomputed from what it sent. */
function expectedSignatureOf(request: SentRequest, method: string): string {
  const url = new URL(request.url);
  return signWithNode({
    method,
    pathWithQuery: `${url.pathname}${url.search}`,
    timestamp: request.headers.get(signatureTimestampHeader) ?? '',
    nonce: request.headers.get(signatureNonceHeader) ?? '',
    body: request.body,
  });
}

describe('request signing', () => {
  it('computes the same HMAC as node:crypto over the canonical text', async () => {
    const parts = {
      method: 'POST',
      pathWithQuery: '/api/v1/tasks?status=inbox&limit=5',
      timestamp: '1700000000',
      nonce: 'n0nce_0123456789-abc',
    };
    const body = '{"title":"Grüße"}';
    const signature = await computeSignature(
      await deriveSigningKey(secret),
      { method: 'post', url: 'http://127.0.0.1:4000/api/v1/tasks?status=inbox&limit=5', body },
      parts.timestamp,
      parts.nonce,
    );
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(signature).toBe(signWithNode({ ...parts, body }));
  });

  it('hashes the exact body bytes, and the empty string when there is none', async () => {
    expect(await hashBody(undefined)).toBe(createHash('sha256').update('').digest('hex'));
    expect(await hashBody('{"a":"é"}')).toBe(createHash('sha256').update('{"a":"é"}').digest('hex'));
    const bytes = new TextEncoder().encode('{"a":"é"}');
    expect(await hashBody(bytes.buffer)).toBe(await hashBody('{"a":"é"}'));
  });

  it('signs every call with a new nonce at the current time', async () => {
    const sign = createRequestSigner(() => 1_700_000_123_999);
    const request = { method: 'GET', url: 'http://127.0.0.1:4000/api/v1/auth/me' };
    const first = await sign(secret, request);
    const second = await sign(secret, request);
    expect(first.timestamp).toBe('1700000123');
    expect(first.nonce).toMatch(signatureNoncePattern);
    expect(second.nonce).not.toBe(first.nonce);
    expect(second.signature).not.toBe(first.signature);
    expect(first.signature).toBe(signWithNode({ ...request, pathWithQuery: '/api/v1/auth/me', ...first, body: '' }));
    expect(createNonce()).toMatch(signatureNoncePattern);
  });

  it('serialises a form into bytes and a content type with its boundary', async () => {
    const form = new FormData();
    form.append('file', new Blob(['hello']), 'hello.txt');
    const { body, contentType } = await serializeForm(form);
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(contentType)?.[1];
    expect(boundary).toBeTruthy();
    const text = new TextDecoder().decode(body);
    expect(text).toContain(`--${boundary}`);
    expect(text).toContain('hello');
  });
});

describe('the transport with an API key', () => {
  it('signs every attempt anew: each retry has its own nonce and a valid signature', async () => {
    const { client, sent } = createRecordingClient(secret, 2);
    await expect(client.tasks.list({ status: 'inbox' }).page()).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((request) => request.headers.get(signatureNonceHeader))).size).toBe(3);
    for (const request of sent) {
      expect(new URL(request.url).search).toContain('status=inbox');
      expect(request.headers.get(signatureHeader)).toBe(expectedSignatureOf(request, 'GET'));
    }
  });

  it('signs a JSON body as the exact string sent', async () => {
    const { client, sent } = createRecordingClient(secret);
    await expect(client.tasks.create({ title: 'Signed ✓' })).rejects.toMatchObject({ status: 503 });
    const [request] = sent;
    if (!request) throw new Error('expected a request');
    expect(new TextDecoder().decode(request.body)).toContain('Signed ✓');
    expect(request.headers.get(signatureHeader)).toBe(expectedSignatureOf(request, 'POST'));
  });

  it('sends an upload as the serialised bytes it signed, with their boundary', async () => {
    const { client, sent } = createRecordingClient(secret);
    await expect(client.attachments.uploadToTask('TASK-1', 'notes.txt', new TextEncoder().encode('some notes'))).rejects.toMatchObject({
      status: 503,
    });
    const [request] = sent;
    if (!request) throw new Error('expected a request');
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(request.headers.get('content-type') ?? '')?.[1];
    expect(boundary).toBeTruthy();
    expect(new TextDecoder().decode(request.body)).toContain(`--${boundary}`);
    expect(request.headers.get(signatureHeader)).toBe(expectedSignatureOf(request, 'POST'));
  });

  it('does not sign with an access token', async () => {
    const { client, sent } = createRecordingClient('an-access-token');
    await expect(client.auth.me()).rejects.toMatchObject({ status: 503 });
    expect(sent[0]?.headers.get(signatureHeader)).toBeNull();
    expect(sent[0]?.headers.get(signatureTimestampHeader)).toBeNull();
  });
});
