// The inflater the bundle uses where no native decompressor is at hand, against Node's zlib.
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { inflate } from '../../src/runtime/inflate';

test('inflates what zlib deflates: stored, fixed and dynamic blocks, any level', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 70000 }), fc.integer({ min: 0, max: 9 }), fc.boolean(), (data, level, repetitive) => {
      const input = repetitive ? Uint8Array.from({ length: data.length }, (_, i) => data[i % 97] ?? 0) : data;
      expect(Array.from(inflate(deflateRawSync(input, { level }), input.length))).toEqual(Array.from(input));
    }),
    { numRuns: 40 },
  );
});

test('refuses a stream that does not inflate to the size it should', () => {
  const packed = deflateRawSync(Uint8Array.from({ length: 1000 }, (_, i) => i % 7));
  expect(() => inflate(packed, 999)).toThrow(/inflate/);
  expect(() => inflate(Uint8Array.of(0xff, 0xff), 10)).toThrow(/inflate/);
});
