import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingCudaProviderHint } from './cuda-provider.js';

// No GPU here: the driver's device node and onnxruntime-node's binary folder are stand-in files.
function host({ gpu, provider }: { gpu: boolean; provider: boolean }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'cuda-probe-'));
  const device = path.join(dir, 'nvidiactl');
  if (gpu) writeFileSync(device, '');
  const ortDir = path.join(dir, 'onnxruntime-node');
  const binDir = path.join(ortDir, 'bin', 'napi-v6', process.platform, process.arch);
  mkdirSync(binDir, { recursive: true });
  if (provider) writeFileSync(path.join(binDir, 'libonnxruntime_providers_cuda.so'), '');
  return { devicePaths: [device], ortDir };
}

describe('CUDA provider check', () => {
  it('on a GPU host without the provider, says DEVICE=auto runs on the CPU and gives the install command', () => {
    const probe = host({ gpu: true, provider: false });
    const hint = missingCudaProviderHint('auto', probe);
    expect(hint).toContain('an NVIDIA GPU is present');
    expect(hint).toContain('DEVICE=auto runs on the CPU');
    expect(hint).toContain(
      `ONNXRUNTIME_NODE_INSTALL=cuda12 node ${path.join(probe.ortDir, 'script', 'install.js')}`,
    );
    expect(missingCudaProviderHint('cuda', probe)).toContain('DEVICE=cuda cannot load');
  });

  it('says nothing with the provider installed, without a GPU, or on DEVICE=cpu', () => {
    expect(missingCudaProviderHint('auto', host({ gpu: true, provider: true }))).toBeUndefined();
    expect(missingCudaProviderHint('auto', host({ gpu: false, provider: false }))).toBeUndefined();
    expect(missingCudaProviderHint('cpu', host({ gpu: true, provider: false }))).toBeUndefined();
  });

  it('finds the real onnxruntime-node package when not told where it is', () => {
    // This machine has no GPU (a file stands in for the device) and npm ci skipped the CUDA download.
    expect(missingCudaProviderHint('auto', { devicePaths: [] })).toBeUndefined();
    const hint = missingCudaProviderHint('auto', { devicePaths: [new URL(import.meta.url).pathname] });
    expect(hint).toMatch(/node \S*node_modules\/onnxruntime-node\/script\/install\.js/);
  });
});
