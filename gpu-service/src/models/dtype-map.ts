import { z } from 'zod';

export type Device = 'cuda' | 'cpu';
export type Dtype = 'fp32' | 'fp16' | 'q8' | 'q4';

const dtypes = ['fp32', 'fp16', 'q8', 'q4'] as const;

export type DtypeByDevice = Partial<Record<Device, Dtype>>;

/**
 * What each device runs when DTYPE does not say: half precision where it is fast, full on CPU. q8 is
 * ≈ 2× faster on CPU but not the default: its greedy tokens differ from fp32's on the generated model
 * (README, "q8 on CPU").
 */
const DEFAULTS: Record<Device, Dtype> = { cuda: 'fp16', cpu: 'fp32' };

/**
 * DTYPE is one dtype for every device (`q8`) or a per-device map (`cuda:fp16,cpu:q8`), so a CUDA
 * deployment that falls back to CPU gets the CPU's best choice instead of fp16 on CPU.
 */
export const dtypeSetting = z
  .string()
  .trim()
  .transform((raw, ctx): DtypeByDevice => {
    if (raw === '') return {};
    if ((dtypes as readonly string[]).includes(raw)) return { cuda: raw as Dtype, cpu: raw as Dtype };
    const map: DtypeByDevice = {};
    for (const entry of raw.split(',')) {
      const [device, dtype] = entry.split(':').map((s) => s.trim());
      if ((device !== 'cuda' && device !== 'cpu') || !(dtypes as readonly string[]).includes(dtype ?? '')) {
        ctx.addIssue({
          code: 'custom',
          message: `DTYPE entry '${entry}' is not <cuda|cpu>:<${dtypes.join('|')}> (or give one dtype for all)`,
        });
        return z.NEVER;
      }
      map[device] = dtype as Dtype;
    }
    return map;
  });

/**
 * Whether a batch's encoder output per window is what the window gives alone. Integer exports
 * quantise activations per tensor as they run (DynamicQuantizeLinear, as onnxruntime's quantize_dynamic
 * and our q8 encoder do), so a window's output moves with its batch-mates' loudness (by up to 0.08 at
 * base size): their encoders take one window at a time, and results do not depend on traffic.
 */
export const encoderBatchIsExact = (dtype: Dtype) => dtype === 'fp32' || dtype === 'fp16';

export function dtypeFor(device: Device, setting: DtypeByDevice | undefined): Dtype {
  return setting?.[device] ?? DEFAULTS[device];
}
