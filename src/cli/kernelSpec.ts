import { kernels } from '../image/gallery';
import type { Tensor } from '../core/tensor';
import { UsageError } from './args';

const NAMED = ['identity', 'sobelX', 'sobelY', 'sharpen', 'laplacian', 'emboss'] as const;

export const KERNEL_HELP = `sobelX | sobelY | sharpen | laplacian | emboss | identity | box:N | gaussian:N[:sigma] | '[[...],[...]]' (JSON rows)`;

/** A --kernel value: a gallery name, box:N, gaussian:N[:sigma], or JSON rows. */
export function parseKernel(spec: string): Tensor {
  if ((NAMED as readonly string[]).includes(spec)) return kernels[spec as (typeof NAMED)[number]];
  const [name, ...params] = spec.split(':');
  const nums = params.map(Number);
  if (name === 'box' && params.length === 1 && Number.isInteger(nums[0]) && nums[0] > 0) return kernels.box(nums[0]);
  if (name === 'gaussian' && (params.length === 1 || params.length === 2) && Number.isInteger(nums[0]) && nums[0] > 0 && nums.every(Number.isFinite)) {
    return kernels.gaussian(nums[0], nums[1]);
  }
  if (spec.trim().startsWith('[')) {
    let rows: unknown;
    try {
      rows = JSON.parse(spec);
    } catch {
      throw new UsageError(`--kernel: "${spec}" is not valid JSON`);
    }
    const ok =
      Array.isArray(rows) &&
      rows.length > 0 &&
      rows.every((r) => Array.isArray(r) && r.length === (rows as unknown[][])[0].length && r.length > 0 && r.every((v) => typeof v === 'number' && Number.isFinite(v)));
    if (!ok) throw new UsageError(`--kernel: expected rows of numbers of equal length, got ${spec}`);
    const r = rows as number[][];
    return { data: Float64Array.from(r.flat()), shape: [r.length, r[0].length] };
  }
  throw new UsageError(`--kernel: unknown kernel "${spec}" (expected ${KERNEL_HELP})`);
}
