// paramCount and receptiveField, worked by hand.
import { describe, expect, test } from 'vitest';
import { SimdconvError, paramCount, receptiveField } from '../../src/index';

describe('paramCount and receptiveField', () => {
  test('nn.Conv2d(3, 64, 3) has 1,792 parameters and nn.Conv2d(64, 128, 3) 73,856', () => {
    expect(paramCount({ inChannels: 3, outChannels: 64, kernelSize: 3 })).toBe(1792);
    expect(paramCount({ inChannels: 64, outChannels: 128, kernelSize: 3 })).toBe(73856);
    // Without bias, depthwise, and a rectangular kernel, by hand.
    expect(paramCount({ inChannels: 64, outChannels: 128, kernelSize: 3, bias: false })).toBe(73728);
    expect(paramCount({ inChannels: 32, outChannels: 32, kernelSize: 3, groups: 32 })).toBe(32 * 9 + 32);
    expect(paramCount({ inChannels: 4, outChannels: 6, kernelSize: [1, 5], groups: 2 })).toBe(6 * 2 * 5 + 6);
    expect(() => paramCount({ inChannels: 3, outChannels: 64, kernelSize: 3, groups: 2 })).toThrow(SimdconvError);
  });

  test('receptive field, jump and start of a conv-conv-pool-conv stack, by hand', () => {
    const steps = receptiveField([
      { kernelSize: 3, padding: 1 },
      { kernelSize: 3, padding: 1 },
      { kernelSize: 2, stride: 2 },
      { kernelSize: 3, padding: 1 },
    ]);
    expect(steps).toEqual([
      { receptiveField: 3, jump: 1, start: 0 },
      { receptiveField: 5, jump: 1, start: 0 },
      { receptiveField: 6, jump: 2, start: 0.5 },
      { receptiveField: 10, jump: 2, start: 0.5 },
    ]);
    // AlexNet's first layer: 11x11, stride 4, no padding; then a 3x3 stride-2 pool.
    expect(receptiveField([{ kernelSize: 11, stride: 4 }, { kernelSize: 3, stride: 2 }])).toEqual([
      { receptiveField: 11, jump: 4, start: 5 },
      { receptiveField: 19, jump: 8, start: 9 },
    ]);
    // Dilation 2 widens a 3-tap kernel to 5.
    expect(receptiveField([{ kernelSize: 3, dilation: 2, padding: 2 }])).toEqual([{ receptiveField: 5, jump: 1, start: 0 }]);
  });
});
