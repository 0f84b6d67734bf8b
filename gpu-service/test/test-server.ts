import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import type { createApp } from '../src/app.js';

/** The app on a real port (WebSocket upgrades need one): `http://127.0.0.1:<port>`, and a stop. */
export async function listen(app: ReturnType<typeof createApp>) {
  const websockets = new WebSocketServer({ noServer: true, maxPayload: 1024 ** 2 });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      { fetch: app.fetch, port: 0, hostname: '127.0.0.1', websocket: { server: websockets } },
      () => resolve(s),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of websockets.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
