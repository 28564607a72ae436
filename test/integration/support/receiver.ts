import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the receiver saw it. `at` is Date.now() (the host's virtual clock), `realMs` is wall time. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  realMs: number;
}

/** What the receiver does with a request: answer, never answer (until it is stopped), or drop the socket. */
export type Answer =
  | { status: number; headers?: Record<string, string>; body?: string }
  | { hang: true }
  | { reset: true };

export type Responder = (request: ReceivedRequest, index: number) => Answer;

/**
 * A real node:http receiver on 127.0.0.1, standing in for a SIEM or Slack. It can also go down (the
 * port stops listening: connection refused) and come back up on the same port, hang (for time-outs)
 * or reset the connection, which the delivery tests need.
 */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  responder: Responder = () => ({ status: 200, body: 'ok' });
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get isUp(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<string> {
    await this.listen(0);
    return this.url;
  }

  /** Stops listening and drops every open connection (keep-alive ones too): new attempts are refused. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    // Let the client see the closed connections before the next attempt (else it may write into one: a reset).
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
  }

  /** Listens again on the same port. */
  async up(): Promise<void> {
    if (this.server) return;
    await this.listen(this.port);
  }

  async stop(): Promise<void> {
    await this.down();
  }

  private async listen(port: number): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request: ReceivedRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
          realMs: performance.now(),
        };
        const index = this.requests.length;
        this.requests.push(request);
        const answer = this.responder(request, index);
        if ('hang' in answer) return;
        if ('reset' in answer) {
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
        res.end(answer.body ?? '');
      });
    });
    // Node closes an idle keep-alive connection after 5 s of real time; with the manual clock, hours of
    // virtual time pass in a few real seconds on a loaded machine, and a client that reuses the socket
    // just as it closes sees a reset (a genuine failure the app then retries hours later, past a test's
    // window). Idle sockets stay open for a minute here; down() still destroys every socket.
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }
}
