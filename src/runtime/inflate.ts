// A synchronous decoder of raw DEFLATE (RFC 1951), for the Wasm module the bundle carries
// compressed: one code path for Node's synchronous first use and for browsers, with no zlib and
// no Node built-in in the browser entry.

/**
 * A Huffman code as a lookup table indexed by the next `bits` input bits (least significant
 * first): entry = symbol << 4 | code length.
 */
interface Table {
  bits: number;
  entries: Int32Array;
}

function table(lengths: ArrayLike<number>): Table {
  let max = 1;
  for (let i = 0; i < lengths.length; i++) max = Math.max(max, lengths[i]);
  const counts = new Int32Array(16);
  for (let i = 0; i < lengths.length; i++) counts[lengths[i]]++;
  counts[0] = 0;
  // Canonical codes: the first code of each length follows the last of the length before.
  const next = new Int32Array(16);
  for (let len = 1, code = 0; len < 16; len++) {
    code = (code + counts[len - 1]) << 1;
    next[len] = code;
  }
  const entries = new Int32Array(1 << max);
  for (let sym = 0; sym < lengths.length; sym++) {
    const len = lengths[sym];
    if (!len) continue;
    const code = next[len]++;
    // Codes are sent most significant bit first: reverse them to index by arrival order.
    let rev = 0;
    for (let i = 0; i < len; i++) rev |= ((code >> i) & 1) << (len - 1 - i);
    for (let k = rev; k < entries.length; k += 1 << len) entries[k] = (sym << 4) | len;
  }
  return { bits: max, entries };
}

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/** The order in which a dynamic block lists its code-length code lengths. */
const CLEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Inflates raw DEFLATE data whose inflated size is `size` bytes. */
export function inflate(input: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let o = 0;
  let pos = 0;
  // Unused bits, least significant first, refilled a byte at a time (zeros past the end).
  let acc = 0;
  let held = 0;
  const fill = (n: number) => {
    while (held < n) {
      acc |= (pos < input.length ? input[pos] : 0) << held;
      pos++;
      held += 8;
    }
  };
  const bits = (n: number): number => {
    fill(n);
    const v = acc & ((1 << n) - 1);
    acc >>>= n;
    held -= n;
    return v;
  };
  const decode = (t: Table): number => {
    fill(t.bits);
    const e = t.entries[acc & ((1 << t.bits) - 1)];
    const len = e & 15;
    if (!len) throw new Error('inflate: bad code');
    acc >>>= len;
    held -= len;
    return e >> 4;
  };
  let last = 0;
  while (!last) {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {
      // Stored: byte-aligned; drop the rest of the current byte (and give back whole bytes held).
      pos -= held >> 3;
      acc = 0;
      held = 0;
      const len = input[pos] | (input[pos + 1] << 8);
      pos += 4;
      out.set(input.subarray(pos, pos + len), o);
      pos += len;
      o += len;
      continue;
    }
    let lit: Table;
    let dist: Table;
    if (type === 1) {
      lit = table(Array.from({ length: 288 }, (_, i) => (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8)));
      dist = table(new Array(30).fill(5));
    } else if (type === 2) {
      const hlit = bits(5) + 257;
      const hdist = bits(5) + 1;
      const hclen = bits(4) + 4;
      const clens = new Array(19).fill(0);
      for (let i = 0; i < hclen; i++) clens[CLEN_ORDER[i]] = bits(3);
      const clen = table(clens);
      const lengths = new Uint8Array(hlit + hdist);
      for (let n = 0; n < lengths.length; ) {
        const sym = decode(clen);
        if (sym < 16) lengths[n++] = sym;
        else {
          const [repeat, value] = sym === 16 ? [3 + bits(2), lengths[n - 1]] : sym === 17 ? [3 + bits(3), 0] : [11 + bits(7), 0];
          lengths.fill(value, n, n + repeat);
          n += repeat;
        }
      }
      lit = table(lengths.subarray(0, hlit));
      dist = table(lengths.subarray(hlit));
    } else {
      throw new Error('inflate: bad block type');
    }
    for (;;) {
      const sym = decode(lit);
      if (sym < 256) out[o++] = sym;
      else if (sym === 256) break;
      else {
        const len = LENGTH_BASE[sym - 257] + bits(LENGTH_EXTRA[sym - 257]);
        const d = decode(dist);
        const back = DIST_BASE[d] + bits(DIST_EXTRA[d]);
        for (let i = 0; i < len; i++, o++) out[o] = out[o - back];
      }
    }
  }
  if (o !== size) throw new Error(`inflate: ${o} bytes where ${size} were expected`);
  return out;
}
