import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectOutput, freePort, root } from './test-support/stack.js';

/**
 * `npm start` on a machine that cannot reach the model hub, with nothing downloaded: it must say so in
 * one line, offer `--test-model`, and stop (rather than claim to be ready with no model).
 */
describe('npm start without the model hub', () => {
  it('says in one line that the model could not be downloaded, offers --test-model, and exits 1', async () => {
    // A "hub" that accepts connections and drops them: what a firewalled network looks like.
    const hub = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    const hubPort = (hub.address() as { port: number }).port;
    const child = spawn(
      path.join(root, 'node_modules/.bin/tsx'),
      ['scripts/src/dev.ts', '--port', String(await freePort()), '--gpu-port', String(await freePort())],
      {
        cwd: root,
        env: {
          ...process.env,
          WHISPER_MODEL: undefined,
          HF_ENDPOINT: `http://127.0.0.1:${hubPort}`,
          HUB_TIMEOUT_MS: '2000',
          MODEL_DIR: mkdtempSync(path.join(tmpdir(), 'offline-models-')),
          DIARIZATION_SEGMENTATION_MODEL: '',
          DIARIZATION_EMBEDDING_MODEL: '',
          FORCE_COLOR: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    const collected = collectOutput(child);
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 150_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    hub.close();
    const output = collected();
    expect(code, output.slice(-3000)).toBe(1);
    const said = output.split('\n').filter((line) => line.includes('--test-model'));
    expect(said, output.slice(-3000)).toHaveLength(1);
    expect(said[0]).toMatch(
      /^\[dev\] the model onnx-community\/whisper-base could not be downloaded \(.+\): start with `npm start -- --test-model`/,
    );
    expect(output).not.toContain('[dev] ready');
  }, 180_000);
});
