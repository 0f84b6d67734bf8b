import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../test/fixtures.js';

// No Docker engine runs here, so the image is checked statically: what it builds from, what it
// copies (every source must exist), who it runs as, and that it starts what this package ships.
const dockerfile = readFileSync(path.join(repoRoot, 'gpu-service/Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));
const of = (keyword: string) => instructions.filter((line) => line.startsWith(`${keyword} `));

describe('gpu-service/Dockerfile', () => {
  it('runs on an NVIDIA CUDA 12 runtime image with cuDNN', () => {
    const stages = of('FROM');
    expect(stages.at(-1)).toMatch(/^FROM nvidia\/cuda:12\.\d+(\.\d+)?-cudnn-runtime-/);
  });

  it('installs ffmpeg and onnxruntime’s CUDA 12 provider', () => {
    expect(dockerfile).toMatch(/apt-get install[^\n]*ffmpeg/);
    expect(dockerfile).toContain(
      'ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js',
    );
  });

  it('copies only paths that exist in the repository', () => {
    for (const copy of of('COPY').filter((line) => !line.includes('--from='))) {
      const sources = copy.split(/\s+/).slice(1, -1);
      for (const source of sources) expect(existsSync(path.join(repoRoot, source)), source).toBe(true);
    }
  });

  it('runs as a non-root user with a health check', () => {
    const users = of('USER');
    expect(users.at(-1)).not.toMatch(/USER (root|0)\b/);
    expect(of('HEALTHCHECK')).toHaveLength(1);
    expect(of('HEALTHCHECK')[0]).toContain('/health');
  });

  it('starts the service entry point with a runtime dependency that is declared', () => {
    const cmd = of('CMD').at(-1)!;
    const entry = /"(gpu-service\/src\/[^"]+\.ts)"/.exec(cmd)?.[1];
    expect(entry && existsSync(path.join(repoRoot, entry))).toBe(true);
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'gpu-service/package.json'), 'utf8'));
    expect(pkg.dependencies.tsx).toBeDefined();
  });
});
