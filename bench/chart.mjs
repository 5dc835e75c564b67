// A horizontal grouped bar chart as SVG text, on a log scale (speed ratios: 2x faster and 2x
// slower sit equally far from the 1x line). No dependencies; the grid writes bench/grid.svg.

const COLOURS = ['#2f6db5', '#e07b1f', '#3a9a4a', '#8e5bb5', '#c0392b', '#7f8c8d'];
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** groups: row labels; series: bar labels; values[g][s]: ratio or undefined (no bar); note: a line under the axis. */
export function barChart({ title, subtitle, groups, series, values, note = '' }) {
  const bar = 14;
  const gap = 10;
  const left = 230;
  const width = 860;
  const plot = width - left - 70;
  // Legend entries laid out by their text's width (about 6.6 px a character), wrapping.
  const legend = [];
  let lx = 16;
  let ly = 54;
  for (const name of series) {
    const w = 18 + name.length * 6.6 + 24;
    if (lx + w > width - 16 && lx > 16) {
      lx = 16;
      ly += 18;
    }
    legend.push([lx, ly]);
    lx += w;
  }
  const top = ly + 24;
  const present = values.map((row) => series.map((_, s) => s).filter((s) => Number.isFinite(row[s])));
  const heights = present.map((p) => Math.max(1, p.length) * bar + gap);
  const height = top + heights.reduce((a, b) => a + b, 0) + 40 + (note ? 18 : 0);
  const axis = height - (note ? 18 : 0);
  const all = values.flat().filter(Number.isFinite);
  const lo = Math.min(0.5, ...all.map((v) => 2 ** Math.floor(Math.log2(v))));
  const hi = Math.max(4, ...all.map((v) => 2 ** Math.ceil(Math.log2(v))));
  const x = (v) => left + (plot * (Math.log2(v) - Math.log2(lo))) / (Math.log2(hi) - Math.log2(lo));
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="16" y="24" font-size="16" font-weight="600">${esc(title)}</text>`,
    `<text x="16" y="42" fill="#555">${esc(subtitle)}</text>`,
  ];
  series.forEach((name, s) => {
    const [ex, ey] = legend[s];
    out.push(`<rect x="${ex}" y="${ey}" width="12" height="12" fill="${COLOURS[s % COLOURS.length]}"/><text x="${ex + 18}" y="${ey + 10}">${esc(name)}</text>`);
  });
  for (let t = lo; t <= hi; t *= 2) {
    out.push(`<line x1="${x(t)}" y1="${top - 4}" x2="${x(t)}" y2="${axis - 36}" stroke="${t === 1 ? '#333' : '#ddd'}"${t === 1 ? ' stroke-width="1.5"' : ''}/>`);
    out.push(`<text x="${x(t)}" y="${axis - 20}" text-anchor="middle" fill="#555">${t >= 1 ? t : `1/${1 / t}`}x</text>`);
  }
  if (note) out.push(`<text x="16" y="${height - 10}" fill="#555" font-size="11">${esc(note)}</text>`);
  let y = top;
  groups.forEach((g, gi) => {
    const rows = present[gi];
    out.push(`<text x="${left - 10}" y="${y + (rows.length * bar) / 2 + 4}" text-anchor="end">${esc(g)}</text>`);
    rows.forEach((s, k) => {
      const v = values[gi][s];
      const [a, b] = [x(Math.min(1, v)), x(Math.max(1, v))];
      const by = y + k * bar;
      out.push(`<rect x="${a}" y="${by + 1}" width="${Math.max(1, b - a)}" height="${bar - 2}" fill="${COLOURS[s % COLOURS.length]}"/>`);
      out.push(`<text x="${b + 4}" y="${by + bar - 3}" font-size="11">${v.toFixed(2)}x</text>`);
    });
    y += heights[gi];
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
