import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type TLSSocket } from 'node:tls';

/**
 * A local TLS front for `wrangler dev` (the `openai` SDK's realtime clients speak wss: only): a fresh
 * self-signed certificate for 127.0.0.1 from the real openssl, and a TLS listener that pipes every
 * connection to the Worker's plain port. Clients trust the certificate explicitly (`ca`).
 */
export async function tlsFront(targetPort: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tls-front-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  const ca = readFileSync(cert, 'utf8');
  const sockets = new Set<Socket | TLSSocket>();
  const server = createServer({ key: readFileSync(key), cert: ca }, (secure) => {
    const plain = connect(targetPort, '127.0.0.1');
    sockets.add(secure);
    sockets.add(plain);
    secure.pipe(plain).pipe(secure);
    const end = () => {
      secure.destroy();
      plain.destroy();
      sockets.delete(secure);
      sockets.delete(plain);
    };
    secure.on('error', end).on('close', end);
    plain.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  rmSync(dir, { recursive: true, force: true });
  return {
    port,
    origin: `https://127.0.0.1:${port}`,
    ca,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
