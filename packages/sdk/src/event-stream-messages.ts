import { type Activity, errorCodeSchema, streamMessageSchema } from '@mission-control/contracts';
import { z } from 'zod';
import { MissionControlError, type MissionControlErrorCode } from './errors.js';

/** What one frame from the stream means to the client. */
export type IncomingMessage =
  | { kind: 'event'; seq: number; activity: Activity }
  /** An event this SDK cannot read (a newer server): its sequence still moves the resume point. */
  | { kind: 'unknown-event'; seq: number }
  | { kind: 'ready'; seq: number }
  /** `latestSeq` comes with CURSOR_AHEAD: the server's newest sequence, to resume after. */
  | { kind: 'error'; error: MissionControlError; latestSeq?: number }
  | { kind: 'pong' }
  | { kind: 'ignored' };

// The server's answer to `{"type":"ping"}`; not part of the event contract, so read on its own.
const pongMessageSchema = z.object({ type: z.literal('pong') });
const anyEventMessageSchema = z.object({ type: z.literal('event'), seq: z.number().int() });

/** The exact text the server answers with a pong, without parsing. */
export const pingMessage = '{"type":"ping"}';

/** A frame's payload as text: browsers give strings, `ws` gives Buffers or ArrayBuffers. */
function toText(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) return new TextDecoder().decode(data);
  return undefined;
}

/** The server's code when it is one we know, else a generic one. */
function codeOrUnexpected(code: string): MissionControlErrorCode {
  const known = errorCodeSchema.safeParse(code);
  return known.success ? known.data : 'UNEXPECTED_STATUS';
}

/** Reads one frame of the stream protocol; anything unreadable is ignored rather than fatal. */
export function readIncomingMessage(data: unknown): IncomingMessage {
  const text = toText(data);
  if (text === undefined) return { kind: 'ignored' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'ignored' };
  }
  const parsed = streamMessageSchema.safeParse(json);
  if (parsed.success) {
    const message = parsed.data;
    if (message.type === 'event') return { kind: 'event', seq: message.seq, activity: message.data };
    if (message.type === 'ready') return { kind: 'ready', seq: message.seq };
    const error = new MissionControlError(codeOrUnexpected(message.data.code), message.data.message);
    return message.data.latestSeq === undefined ? { kind: 'error', error } : { kind: 'error', error, latestSeq: message.data.latestSeq };
  }
  if (pongMessageSchema.safeParse(json).success) return { kind: 'pong' };
  const event = anyEventMessageSchema.safeParse(json);
  if (event.success) return { kind: 'unknown-event', seq: event.data.seq };
  return { kind: 'ignored' };
}
