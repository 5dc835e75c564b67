// The row moves of padding (src/core/padding.ts padInto): a block's rows, copied packed to the
// start of its padded place, each moved to its padded row, last row first (a row's padded place
// never lies before its packed place, so no row is overwritten before it moves), with the
// constant columns either side of it written as it lands. One call where the JS side paid a
// call per row. Exported as spreadRowsF32 / spreadRowsF64 (ABI: src/runtime/abi.ts SpreadRowsKernel).

function spreadRows<T>(base: usize, planes: i32, rows: i32, rowIn: i32, planeOut: i32, rowOut: i32, first: i32, left: i32, right: i32, fill: i32, value: T): void {
  const E = <usize>sizeof<T>();
  const rowBytes = <usize>rowIn * E;
  for (let z = planes - 1; z >= 0; z--) {
    for (let y = rows - 1; y >= 0; y--) {
      const from = base + <usize>(z * rows + y) * rowBytes;
      const to = base + (<usize>first + <usize>z * <usize>planeOut + <usize>y * <usize>rowOut) * E;
      if (to != from) memory.copy(to, from, rowBytes);
      if (!fill) continue;
      for (let i = 1; i <= left; i++) store<T>(to - <usize>i * E, value);
      const end = to + rowBytes;
      for (let i = 0; i < right; i++) store<T>(end + <usize>i * E, value);
    }
  }
}

export function spreadRowsF32(base: usize, planes: i32, rows: i32, rowIn: i32, planeOut: i32, rowOut: i32, first: i32, left: i32, right: i32, fill: i32, value: f64): void {
  spreadRows<f32>(base, planes, rows, rowIn, planeOut, rowOut, first, left, right, fill, <f32>value);
}

export function spreadRowsF64(base: usize, planes: i32, rows: i32, rowIn: i32, planeOut: i32, rowOut: i32, first: i32, left: i32, right: i32, fill: i32, value: f64): void {
  spreadRows<f64>(base, planes, rows, rowIn, planeOut, rowOut, first, left, right, fill, value);
}
