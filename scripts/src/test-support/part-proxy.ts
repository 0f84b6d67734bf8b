import { createServer, request, type Server } from 'node:http';

export interface PartProxy {
  url: string;
  /** Every part PUT that arrived, in order (including one held and never answered). */
  puts: Array<{ uploadId: string; partNumber: number }>;
  /** Holds the next PUT of this part unanswered (and unforwarded) until its client gives up. */
  hold(partNumber: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A loopback reverse proxy in front of the Worker for the URLs it mints (`PUBLIC_URL`): it forwards
 * everything unchanged and records which upload parts were PUT, so a test can see from outside the
 * client what it actually sent.
 */
export async function startPartProxy(target: () => string): Promise<PartProxy> {
  const puts: PartProxy['puts'] = [];
  let held: { partNumber: number; arrived: () => void } | undefined;
  const server: Server = createServer((incoming, outgoing) => {
    const url = new URL(incoming.url ?? '/', 'http://proxy');
    const partNumber = Number(url.searchParams.get('partNumber'));
    if (incoming.method === 'PUT' && partNumber) {
      puts.push({ uploadId: url.searchParams.get('uploadId') ?? '', partNumber });
      if (held?.partNumber === partNumber) {
        const { arrived } = held;
        held = undefined;
        arrived();
        incoming.resume();
        return;
      }
    }
    const upstream = new URL(target());
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forward.on('error', () => outgoing.destroy());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    puts,
    hold: (partNumber) =>
      new Promise<void>((resolve) => {
        held = { partNumber, arrived: resolve };
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
