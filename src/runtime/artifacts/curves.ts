// Training curves as a self-contained SVG line chart: loss, recon and −test ELBO above, KL below.
//
// KL lives on its own small panel under the main one (sharing the epoch axis) because its scale is
// usually far below the reconstruction term's. Non-finite or missing values are gaps; a point with
// no finite neighbour is drawn as a marker. A series with no finite value at all is left out (no
// line, no legend entry), so −test ELBO appears only when some row has a test ELBO.

export interface CurveRow {
  epoch: number;
  loss: number;
  recon: number;
  kl: number;
  test_elbo?: number | null;
}

interface Series {
  label: string;
  color: string;
  panel: 0 | 1;
  /** Drawn only when some row has it (all series are), and not named on an empty panel. */
  optional?: boolean;
  value: (row: CurveRow) => number | null | undefined;
}

const SERIES: readonly Series[] = [
  { label: "loss", color: "#1f77b4", panel: 0, value: (r) => r.loss },
  { label: "recon", color: "#ff7f0e", panel: 0, value: (r) => r.recon },
  {
    label: "\u2212test ELBO",
    color: "#d62728",
    panel: 0,
    optional: true,
    value: (r) => (typeof r.test_elbo === "number" ? -r.test_elbo : null),
  },
  { label: "KL", color: "#2ca02c", panel: 1, value: (r) => r.kl },
];

const WIDTH = 640;
const LEFT = 72;
const RIGHT = 150; // room for the legend
const PANELS = [
  { top: 36, height: 230 },
  { top: 306, height: 100 },
] as const;
const HEIGHT = 450;

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function finite(v: number | null | undefined): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** A coordinate with at most two decimals, never "-0". */
function num(v: number): string {
  const s = (Math.round(v * 100) / 100).toString();
  return s === "-0" ? "0" : s;
}

/** A 1/2/5×10^k step giving about `target` intervals over [lo, hi] (at least `minStep`). */
export function niceStep(
  lo: number,
  hi: number,
  target = 5,
  minStep = 0,
): number {
  const raw = hi > lo ? (hi - lo) / target : 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return Math.max(
    minStep,
    ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag,
  );
}

/** k steps, without float noise (3 × 0.1 is 0.3) or a negative zero. */
function tickValue(k: number, step: number): number {
  return Number((k * step).toPrecision(12)) + 0;
}

/** Round tick positions inside [lo, hi], `niceStep` apart. */
export function niceTicks(
  lo: number,
  hi: number,
  target = 5,
  minStep = 0,
): number[] {
  if (!(hi > lo)) return [lo];
  const step = niceStep(lo, hi, target, minStep);
  const ticks: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  for (let k = first; k * step <= hi + step * 1e-9; k++)
    ticks.push(tickValue(k, step));
  return ticks;
}

/** A tick label readable at a glance: fixed decimals matching the step, exponent when extreme. */
export function formatTick(v: number, step: number): string {
  if (v === 0 || Object.is(v, -0)) return "0";
  const abs = Math.abs(v);
  if (abs >= 1e6 || abs < 1e-4) return v.toExponential(1).replace("e+", "e");
  const decimals =
    step > 0
      ? Math.min(6, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)))
      : 2;
  const s = v.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? "0" : s.replace("-", "\u2212");
}

/** [lo, hi] of the values, widened so a flat series still gets a visible band. */
function domain(values: number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
    const pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  return [lo, hi];
}

/** An SVG line chart of the training curves, one `<path>` per series that has data. */
export function curvesSvg(rows: ReadonlyArray<CurveRow>): string {
  const data = rows
    .filter((r) => finite(r.epoch))
    .sort((a, b) => a.epoch - b.epoch);
  const present = SERIES.filter((s) => data.some((r) => finite(s.value(r))));
  const epochs = data.map((r) => r.epoch);
  let [x0, x1] = domain(epochs);
  // A single epoch e sits in the middle of [e − 1, e + 1].
  const e = epochs[0];
  if (e !== undefined && epochs.every((x) => x === e))
    [x0, x1] = [e - 1, e + 1];
  const plotW = WIDTH - LEFT - RIGHT;
  const px = (e: number) => LEFT + ((e - x0) / (x1 - x0)) * plotW;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml("Training curves")}</title>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
  );
  const xStep = niceStep(x0, x1, 8, 1);
  const xTicks = niceTicks(x0, x1, 8, 1);
  PANELS.forEach((panel, index) => {
    const series = present.filter((s) => s.panel === index);
    const values = data.flatMap((r) =>
      series.map((s) => s.value(r)).filter(finite),
    );
    const [y0, y1] = domain(values);
    // The axis runs from the tick at or below the data to the tick at or above it.
    const yStep = niceStep(y0, y1, index === 0 ? 6 : 3);
    const lo = Math.floor(y0 / yStep + 1e-9) * yStep;
    const hi = Math.ceil(y1 / yStep - 1e-9) * yStep;
    const yTicks: number[] = [];
    for (let k = Math.round(lo / yStep); k <= Math.round(hi / yStep); k++)
      yTicks.push(tickValue(k, yStep));
    const py = (v: number) =>
      panel.top + panel.height - ((v - lo) / (hi - lo)) * panel.height;
    const bottom = panel.top + panel.height;
    const named =
      series.length > 0
        ? series
        : SERIES.filter((s) => s.panel === index && !s.optional);
    const title = `${named.map((s) => s.label).join(", ")} (nats)`;
    out.push(
      `<text x="${LEFT}" y="${panel.top - 8}" font-weight="bold">${escapeXml(title)}</text>`,
    );
    for (const t of yTicks) {
      const y = num(py(t));
      out.push(
        `<line x1="${LEFT}" y1="${y}" x2="${LEFT + plotW}" y2="${y}" stroke="#e5e5e5"/>`,
        `<line x1="${LEFT - 4}" y1="${y}" x2="${LEFT}" y2="${y}" stroke="#333333"/>`,
        `<text x="${LEFT - 7}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatTick(t, yStep))}</text>`,
      );
    }
    for (const t of xTicks) {
      const x = num(px(t));
      out.push(
        `<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 4}" stroke="#333333"/>`,
      );
      out.push(
        `<text x="${x}" y="${bottom + 15}" text-anchor="middle">${escapeXml(formatTick(t, xStep))}</text>`,
      );
    }
    out.push(
      `<line x1="${LEFT}" y1="${panel.top}" x2="${LEFT}" y2="${bottom}" stroke="#333333"/>`,
      `<line x1="${LEFT}" y1="${bottom}" x2="${LEFT + plotW}" y2="${bottom}" stroke="#333333"/>`,
    );
    if (values.length === 0) {
      out.push(
        `<text x="${num(LEFT + plotW / 2)}" y="${num(panel.top + panel.height / 2)}" text-anchor="middle" fill="#888888">${escapeXml("no data")}</text>`,
      );
    }
    for (const s of series) out.push(...seriesMarkup(s, data, px, py));
  });
  out.push(
    `<text x="${num(LEFT + plotW / 2)}" y="${HEIGHT - 8}" text-anchor="middle">${escapeXml("epoch")}</text>`,
  );
  present.forEach((s, i) => {
    const y = PANELS[0].top + 10 + i * 20;
    const x = LEFT + plotW + 16;
    out.push(
      `<line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}" stroke="${s.color}" stroke-width="2"/>`,
      `<text x="${x + 28}" y="${y}" dominant-baseline="middle">${escapeXml(s.label)}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

/** The path of one series (gaps at missing values) and markers at isolated points. */
function seriesMarkup(
  s: Series,
  data: ReadonlyArray<CurveRow>,
  px: (e: number) => number,
  py: (v: number) => number,
): string[] {
  const points = data.map((r) => {
    const v = s.value(r);
    return finite(v) ? { x: px(r.epoch), y: py(v) } : null;
  });
  const commands: string[] = [];
  const markers: string[] = [];
  points.forEach((p, i) => {
    if (p === null) return;
    const connected = i > 0 && points[i - 1] !== null;
    commands.push(`${connected ? "L" : "M"}${num(p.x)} ${num(p.y)}`);
    const alone =
      !connected && (i + 1 >= points.length || points[i + 1] === null);
    if (alone || points.length <= 30) {
      markers.push(
        `<circle cx="${num(p.x)}" cy="${num(p.y)}" r="${alone ? 3.5 : 2}" fill="${s.color}"/>`,
      );
    }
  });
  return [
    `<path d="${commands.join(" ")}" fill="none" stroke="${s.color}" stroke-width="1.75" stroke-linejoin="round"><title>${escapeXml(s.label)}</title></path>`,
    ...markers,
  ];
}
