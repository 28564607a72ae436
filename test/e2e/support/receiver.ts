/** A real node:http receiver on 127.0.0.1: what a SIEM's collector would be, recording every request. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface ReceiverAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** What the next requests get; tests change it to simulate an outage and its end. */
  answer: ReceiverAnswer;
  close(): Promise<void>;
}

export async function startReceiver(answer: ReceiverAnswer): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const receiver = { answer } as Pick<Receiver, 'answer'>;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const { status, headers, body } = receiver.answer;
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
