import { pingMessage } from './event-stream-messages.js';
import type { WebSocketLike } from './events.js';

const openState = 1;

/**
 * Application pings on one socket. Once the server has answered a ping with a pong, a ping left
 * without any frame in return for `timeoutMs` means the socket is dead (a half-open TCP
 * connection can look open for minutes); a server that never answered one (an older server) is
 * never declared dead for its silence.
 */
export class SocketHeartbeat {
  private readonly socket: WebSocketLike;
  private readonly timing: { intervalMs: number; timeoutMs: number };
  private readonly onDead: () => void;
  private interval: ReturnType<typeof setInterval> | undefined;
  private deadline: ReturnType<typeof setTimeout> | undefined;
  private serverAnswersPings = false;

  /** Starts pinging the socket every `intervalMs`; `onDead` is called once when it stops answering. */
  constructor(socket: WebSocketLike, timing: { intervalMs: number; timeoutMs: number }, onDead: () => void) {
    this.socket = socket;
    this.timing = timing;
    this.onDead = onDead;
    this.interval = setInterval(() => this.ping(), timing.intervalMs);
  }

  /** Any frame from the server shows the socket is alive. */
  noteFrame(): void {
    clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  /** The server answers pings: from now on, silence after a ping counts. */
  notePong(): void {
    this.serverAnswersPings = true;
  }

  /** Stops pinging and forgets a pending deadline. */
  stop(): void {
    clearInterval(this.interval);
    this.interval = undefined;
    this.noteFrame();
  }

  private ping(): void {
    if (this.socket.readyState !== openState) return;
    this.socket.send(pingMessage);
    if (!this.serverAnswersPings || this.deadline !== undefined) return;
    this.deadline = setTimeout(() => {
      this.deadline = undefined;
      this.stop();
      this.onDead();
    }, this.timing.timeoutMs);
  }
}
