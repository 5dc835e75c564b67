// The demo page (demo/dist, built by npm test's pretest) in headless Chromium, served with the
// Content-Security-Policy the README documents: the calculator's worked example both ways, the
// modes, the index view, the other sections, the gallery, the speed panel and the keyboard.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SCREENSHOTS, launch, number, startServer, watchErrors, type Server } from './harness';

let browser: Browser;
let server: Server;
let page: Page;
let errors: string[];

const cell = (grid: string, r: number, c: number) => `[data-grid="${grid}"] td[data-row="${r}"][data-col="${c}"]`;
const gridValues = (p: Page, grid: string) => p.$$eval(`[data-grid="${grid}"] td[data-row]`, (tds) => tds.map((td) => (td.querySelector('input') as HTMLInputElement | null)?.value ?? td.querySelector('button, span')?.textContent ?? ''));
const numbers = (xs: string[]) => xs.map(number);

beforeAll(async () => {
  browser = await launch();
  server = await startServer();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  errors = watchErrors(page);
  await page.goto(`${server.url}/`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('body[data-gallery="ready"]');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the calculator', () => {
  test('the page runs on Wasm relaxed SIMD after ready(), with no console errors', async () => {
    expect(await page.textContent('[data-backend]')).toBe('wasm-relaxed-simd');
    expect(errors).toEqual([]);
  });

  test('output [0, 0] of the default example is 160: the window, the products -10 0 30 -40 0 120 -30 0 90 and their sum', async () => {
    await page.click(`${cell('output', 0, 0)} button`);
    await page.waitForSelector('[data-trace-sum]');
    expect(number(await page.textContent('[data-trace-sum]'))).toBe(160);
    expect(numbers(await gridValues(page, 'products'))).toEqual([-10, 0, 30, -40, 0, 120, -30, 0, 90]);
    expect(numbers(await gridValues(page, 'window'))).toEqual([10, 20, 30, 20, 40, 60, 30, 60, 90]);
    // The window is marked on the input.
    expect(await page.$$eval('[data-grid="input"] td.in-window', (tds) => tds.length)).toBe(9);
    expect(await page.textContent('[data-trace] .check')).toMatch(/correlate2d\(input, kernel, \{ mode: 'valid', boundary: 'fill' \}\) gives the same output ✓/);
  });

  test('convolve shows the kernel rotated 180° as applied, and the sum -160', async () => {
    await page.selectOption('[name="op"]', 'convolve');
    expect(numbers(await gridValues(page, 'applied'))).toEqual([1, 0, -1, 2, 0, -2, 1, 0, -1]);
    expect(number(await page.textContent('[data-trace-sum]'))).toBe(-160);
  });

  test("centred indices show which h[m - i, n - j] meets each sample: convolution pairs the top-left sample with h[1, 1]", async () => {
    await page.selectOption('[name="indices"]', 'centred');
    expect(await page.textContent(`${cell('input', 0, 0)} .note`)).toBe('×h[1,1]');
    expect(await page.textContent(`${cell('input', 2, 2)} .note`)).toBe('×h[−1,−1]');
    await page.selectOption('[name="op"]', 'correlate');
    expect(await page.textContent(`${cell('input', 0, 0)} .note`)).toBe('×h[−1,−1]');
    expect(await page.textContent('[data-trace] .rule')).toMatch(/h\[i − m, j − n\]/);
    await page.selectOption('[name="indices"]', 'top-left');
  });

  test("mode 'same' gives a 5x5 output, with the padding ring shown; 'full' gives 7x7", async () => {
    await page.selectOption('[name="mode"]', 'same');
    expect(await page.$$eval('[data-grid="output"] td[data-row]', (tds) => tds.length)).toBe(25);
    expect(await page.$$eval('[data-grid="input"] td[data-pad-row]', (tds) => tds.length)).toBe(7 * 7 - 25);
    expect(await page.inputValue('[name="padding"]')).toBe('1');
    await page.selectOption('[name="mode"]', 'full');
    expect(await page.$$eval('[data-grid="output"] td[data-row]', (tds) => tds.length)).toBe(49);
    await page.selectOption('[name="mode"]', 'valid');
  });

  test('stride, padding and dilation change the output size by the formula shown', async () => {
    await page.fill('[name="stride"]', '2');
    await page.press('[name="stride"]', 'Enter');
    await page.fill('[name="padding"]', '1');
    await page.press('[name="padding"]', 'Enter');
    // floor((5 + 1 + 1 - 2 - 1) / 2) + 1 = 3
    expect(await page.textContent('[data-formula] code')).toMatch(/⌊\(5 \+ 1 \+ 1 − 1·2 − 1\) \/ 2⌋ \+ 1 = 3$/);
    expect(await page.$$eval('[data-grid="output"] td[data-row]', (tds) => tds.length)).toBe(9);
    await page.click(`${cell('output', 1, 1)} button`);
    expect(await page.textContent('[data-trace] .check')).toMatch(/conv2d\(input, kernel, \{ stride: 2, padding: 1, dilation: 1, paddingMode: 'zeros' \}\) gives the same output ✓/);
    await page.fill('[name="dilation"]', '2');
    await page.press('[name="dilation"]', 'Enter');
    expect(await page.textContent('[data-formula] code')).toMatch(/= 2$/);
    for (const [name, value] of [['stride', '1'], ['dilation', '1']]) {
      await page.fill(`[name="${name}"]`, value);
      await page.press(`[name="${name}"]`, 'Enter');
    }
    await page.selectOption('[name="mode"]', 'valid');
  });

  test('picking another kernel shows its description and formula; editing a weight makes it custom', async () => {
    await page.selectOption('[name="kernel"]', 'box');
    expect(await page.textContent('.kernel-note')).toMatch(/mean of the 3×3 neighbourhood/);
    await page.click(`${cell('output', 0, 0)} button`);
    expect(number(await page.textContent('[data-trace-sum]'))).toBeCloseTo(40, 9);
    await page.fill(`${cell('kernel', 1, 1)} input`, '2');
    await page.press(`${cell('kernel', 1, 1)} input`, 'Enter');
    expect(await page.inputValue('[name="kernel"]')).toBe('custom');
    await page.selectOption('[name="kernel"]', 'sobelX');
  });

  test('Animate slides the window over every output cell in turn, and pauses', async () => {
    await page.fill('[name="speed"]', '1500');
    await page.dispatchEvent('[name="speed"]', 'change');
    await page.click('[name="animate"]');
    expect(await page.getAttribute('[name="animate"]', 'aria-pressed')).toBe('true');
    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 9; i++) {
      seen.add((await page.textContent('[data-trace] h3')) ?? '');
      await page.waitForTimeout(60);
    }
    expect(seen.size).toBe(9);
    await page.click('[name="animate"]');
    expect(await page.getAttribute('[name="animate"]', 'aria-pressed')).toBe('false');
  });

  test('works from the keyboard: Tab to an output cell, Enter explains it', async () => {
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    let inOutput = false;
    for (let i = 0; i < 120 && !inOutput; i++) {
      await page.keyboard.press('Tab');
      inOutput = await page.evaluate(() => !!document.activeElement?.closest('[data-grid="output"]'));
    }
    expect(inOutput).toBe(true);
    await page.keyboard.press('Enter');
    expect(number(await page.textContent('[data-trace-sum]'))).toBe(160);
    // Focus stays on the cell after the page redraws, so the next Tab moves on from it.
    expect(await page.evaluate(() => document.activeElement?.closest('td')?.dataset.col)).toBe('0');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(number(await page.textContent('[data-trace-sum]'))).toBe(160);
    expect(await page.textContent('[data-trace] h3')).toMatch(/Output \[0, 1\]/);
  });
});

describe('the other sections', () => {
  test('the impulse: convolving stamps the kernel, correlating stamps it rotated', async () => {
    const conv = numbers(await gridValues(page, 'impulse-convolve'));
    const corr = numbers(await gridValues(page, 'impulse-correlate'));
    const middle = (v: number[]) => [2, 3, 4].flatMap((r) => [2, 3, 4].map((c) => v[r * 7 + c]));
    expect(middle(conv)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(middle(corr)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  test('many channels: one 3x3x3 kernel makes one 2x2 output channel, the per-channel sums add up; two kernels make two', async () => {
    expect(await page.$$eval('[data-grid^="rgb-out-"]', (g) => g.length)).toBe(1);
    expect(await page.$$eval('[data-grid="rgb-out-0"] td[data-row]', (g) => g.length)).toBe(4);
    await page.click(`${cell('rgb-out-0', 1, 1)} button`);
    const text = (await page.textContent('[data-channels-sum]')) ?? '';
    const m = /R: (−?[\d.]+) \+ G: (−?[\d.]+) \+ B: (−?[\d.]+) = (−?[\d.]+)/.exec(text);
    expect(m, text).not.toBeNull();
    const [r, g, b, total] = m!.slice(1).map(number);
    expect(r + g + b).toBe(total);
    expect(text).toMatch(/✓ conv2d/);
    expect(number(await page.textContent(`${cell('rgb-out-0', 1, 1)} button`))).toBe(total);
    await page.check('[name="second-kernel"]');
    expect(await page.$$eval('[data-grid^="rgb-out-"]', (g) => g.length)).toBe(2);
    expect(await page.textContent('[data-param-count]')).toMatch(/3×3×3×64 \+ 64 = 1,792/);
    expect(await page.textContent('#channels')).toMatch(/nn\.Conv2d\(64, 128, 3\) has 73,856 parameters/);
  });

  test('the layer stack reports receptive field, jump and start per layer', async () => {
    const rf = await page.$$eval('table.layers td[data-rf]', (tds) => tds.map((td) => Number(td.textContent)));
    expect(rf).toEqual([3, 5, 6, 10, 18]);
    expect(await page.$$eval('[data-grid="maxPool2d"] td[data-row]', (g) => g.length)).toBe(4);
  });

  test('the gallery: every canvas is drawn, and the Sobel ones differ from the photo', async () => {
    const stats = await page.$$eval('[data-gallery] canvas', (canvases) =>
      canvases.map((c) => {
        const cv = c as HTMLCanvasElement;
        const d = (cv.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, cv.width, cv.height).data;
        let sum = 0;
        let sumSq = 0;
        for (let i = 0; i < d.length; i += 4) {
          const v = d[i] + d[i + 1] + d[i + 2];
          sum += v;
          sumSq += v * v;
        }
        const n = d.length / 4;
        return { kernel: cv.dataset.kernel, width: cv.width, height: cv.height, mean: sum / n, spread: Math.sqrt(sumSq / n - (sum / n) ** 2), pixels: Array.from(d.slice(0, 4000)) };
      }),
    );
    expect(stats.length).toBe(9);
    for (const s of stats) {
      expect([s.width, s.height], s.kernel).toEqual([360, 240]);
      expect(s.spread, `${s.kernel} is not blank`).toBeGreaterThan(5);
    }
    const original = stats.find((s) => s.kernel === 'original')!;
    for (const name of ['sobelX', 'sobelY']) {
      const s = stats.find((x) => x.kernel === name)!;
      expect(s.pixels, name).not.toEqual(original.pixels);
    }
    // The identity kernel gives the photo back.
    expect(stats.find((s) => s.kernel === 'identity')!.pixels).toEqual(original.pixels);
  });

  test('the speed panel times Wasm SIMD against the JS fallback: Wasm wins', async () => {
    await page.click('[data-bench] [name="bench"]');
    await page.waitForSelector('[data-bench-ratio]', { timeout: 90_000 });
    const ratio = Number(await page.getAttribute('[data-bench-ratio]', 'data-bench-ratio'));
    expect(ratio).toBeGreaterThan(1);
    // The pool ran too (transfer mode: the demo page is not cross-origin isolated) and says so.
    await page.waitForSelector('[data-bench] [name="bench"]:not([disabled])', { timeout: 90_000 });
    expect(Number(await page.getAttribute('[data-bench-pool]', 'data-bench-pool'))).toBeGreaterThan(0);
    expect(await page.textContent('[data-bench] .caption')).toMatch(/workers in transfer mode/);
    expect(await page.textContent('[data-bench] .host')).toMatch(/✓ Wasm SIMD/);
  });

  test('a screenshot of the page, and the layout at phone width (no sideways scrolling)', async () => {
    await page.screenshot({ path: `${SCREENSHOTS}/page.png`, fullPage: true });
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const phoneErrors = watchErrors(phone);
    await phone.goto(`${server.url}/`);
    await phone.waitForSelector('body[data-gallery="ready"]');
    await phone.screenshot({ path: `${SCREENSHOTS}/phone.png` });
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(phoneErrors).toEqual([]);
    await phone.close();
    expect(errors).toEqual([]);
  });
});
