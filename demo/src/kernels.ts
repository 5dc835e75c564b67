// The calculator's kernel picker: simdconv's gallery, each with a one-line description and its formula.
import { kernels, toNested, type Tensor } from 'simdconv';

export interface GalleryEntry {
  name: string;
  title: string;
  description: string;
  formula: string;
  kernel: () => Tensor;
  /** Responses can be negative: the gallery shows them in a signed colour map. */
  signed: boolean;
  /** A larger version for the photo, where a 3x3 blur is hard to see. */
  photo?: { kernel: () => Tensor; note: string };
}

export const GALLERY: GalleryEntry[] = [
  { name: 'identity', title: 'Identity', description: 'Leaves the image as it is: only the centre weight is 1.', formula: 'y[m, n] = x[m, n]', kernel: () => kernels.identity, signed: false },
  { name: 'sobelX', title: 'Sobel X', description: 'Horizontal gradient: right column minus left, smoothed down the rows. Finds vertical edges.', formula: '[1 2 1]ᵀ · [−1 0 1]', kernel: () => kernels.sobelX, signed: true },
  { name: 'sobelY', title: 'Sobel Y', description: 'Vertical gradient: bottom row minus top, smoothed along the row. Finds horizontal edges.', formula: '[−1 0 1]ᵀ · [1 2 1]', kernel: () => kernels.sobelY, signed: true },
  { name: 'box', title: 'Box blur', description: 'The mean of the 3×3 neighbourhood: every weight is 1/9.', formula: '(1/9) · 1₃ₓ₃', kernel: () => kernels.box(3), signed: false, photo: { kernel: () => kernels.box(7), note: '7×7 box on the photo' } },
  { name: 'gaussian', title: 'Gaussian blur', description: 'A weighted mean that favours the centre: a smooth blur (OpenCV’s 3×3 Gaussian).', formula: '(1/16) · [1 2 1]ᵀ · [1 2 1]', kernel: () => kernels.gaussian(3), signed: false, photo: { kernel: () => kernels.gaussian(9, 2.5), note: '9×9, σ 2.5 on the photo' } },
  { name: 'sharpen', title: 'Sharpen', description: 'Adds the difference from the four neighbours back to the centre.', formula: '5·x − (up + down + left + right)', kernel: () => kernels.sharpen, signed: false },
  { name: 'laplacian', title: 'Laplacian', description: 'A second derivative: zero on flat and linear ramps, large at edges and spots.', formula: 'up + down + left + right − 4·x', kernel: () => kernels.laplacian, signed: true },
  { name: 'emboss', title: 'Emboss', description: 'A directional difference that makes edges look raised, lit from the top left.', formula: '[[−2 −1 0] [−1 1 1] [0 1 2]]', kernel: () => kernels.emboss, signed: false },
];

export const entry = (name: string) => GALLERY.find((g) => g.name === name);

export const kernelRows = (name: string) => toNested(entry(name)!.kernel()) as number[][];
