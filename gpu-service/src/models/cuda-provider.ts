import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Where the NVIDIA driver shows itself on Linux: a GPU host, whether or not onnxruntime can use it. */
const NVIDIA_DEVICES = ['/dev/nvidiactl', '/dev/nvidia0', '/proc/driver/nvidia/version'];

export interface CudaProbe {
  /** Paths whose presence means an NVIDIA GPU and driver. */
  devicePaths?: readonly string[];
  /** onnxruntime-node's package directory. */
  ortDir?: string;
}

function ortPackageDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
}

/**
 * On a GPU host whose onnxruntime-node was installed without its CUDA provider (the repo's .npmrc
 * skips that download, which comes from outside the npm registry), DEVICE=auto would quietly run on
 * the CPU. Returns the one line that says so and how to add the provider, or undefined.
 */
export function missingCudaProviderHint(device: string, probe: CudaProbe = {}): string | undefined {
  if (device === 'cpu') return undefined;
  const gpu = (probe.devicePaths ?? NVIDIA_DEVICES).find((p) => existsSync(p));
  if (!gpu) return undefined;
  const ortDir = probe.ortDir ?? ortPackageDir();
  const binDir = path.join(ortDir, 'bin', 'napi-v6', process.platform, process.arch);
  if (existsSync(path.join(binDir, 'libonnxruntime_providers_cuda.so'))) return undefined;
  const script = path.join(ortDir, 'script', 'install.js');
  return (
    `an NVIDIA GPU is present (${gpu}) but onnxruntime-node has no CUDA provider in ${binDir}, so ` +
    `DEVICE=${device} ${device === 'auto' ? 'runs on the CPU' : 'cannot load'}. Add it once with: ` +
    `ONNXRUNTIME_NODE_INSTALL=cuda12 node ${script} (the Dockerfile does), then restart`
  );
}
