// Tests of the training-curve SVG: well-formed markup, one path per series, gaps, ticks, escaping.
import { describe, expect, it } from "vitest";
import {
  curvesSvg,
  escapeXml,
  formatTick,
  niceTicks,
  type CurveRow,
} from "../../../src/runtime/artifacts/curves.js";

/** A tiny XML check: every tag closes in order, and text holds no raw `<` or bare `&`. */
function wellFormed(svg: string): boolean {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(svg); m !== null; m = tag.exec(svg)) {
    const text = svg.slice(last, m.index);
    if (/[<>]/.test(text) || /&(?!#\d+;|[a-z]+;)/.test(text)) return false;
    last = tag.lastIndex;
    const [, close, name, , self] = m;
    if (close) {
      if (stack.pop() !== name) return false;
    } else if (!self) stack.push(name!);
  }
  return stack.length === 0 && svg.slice(last).trim() === "";
}

const count = (svg: string, what: string) => svg.split(what).length - 1;
const paths = (svg: string) =>
  [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]!);

const rows: CurveRow[] = [
  { epoch: 1, loss: 200, recon: 180, kl: 20, test_elbo: -205 },
  { epoch: 2, loss: 150, recon: 125, kl: 25, test_elbo: -160 },
  { epoch: 3, loss: 120, recon: 94, kl: 26, test_elbo: null },
];

describe("curvesSvg", () => {
  it("is a well-formed SVG with one path per series, −test ELBO included when present", () => {
    const svg = curvesSvg(rows);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(wellFormed(svg)).toBe(true);
    expect(paths(svg)).toHaveLength(4);
    expect(svg).toContain("\u2212test ELBO");
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    // The test ELBO series has points at epochs 1 and 2 only: one M and one L.
    const elbo = paths(svg)[2]!;
    expect([count(elbo, "M"), count(elbo, "L")]).toEqual([1, 1]);
  });

  it("leaves out −test ELBO when no row has one", () => {
    const svg = curvesSvg(rows.map(({ test_elbo: _, ...r }) => r));
    expect(wellFormed(svg)).toBe(true);
    expect(paths(svg)).toHaveLength(3);
    expect(svg).not.toContain("test ELBO");
  });

  it("draws a single epoch as markers, with numeric ticks", () => {
    const svg = curvesSvg([{ epoch: 1, loss: 100, recon: 90, kl: 10 }]);
    expect(wellFormed(svg)).toBe(true);
    expect(paths(svg)).toHaveLength(3);
    for (const d of paths(svg)) expect(d).toMatch(/^M[\d.]+ [\d.]+$/);
    expect(count(svg, 'r="3.5"')).toBe(3);
    expect(svg).not.toMatch(/NaN/);
    const labels = [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map(
      (m) => m[1]!,
    );
    expect(labels).toContain("1");
    expect(labels).toContain("100");
  });

  it("skips NaN and missing values, breaking the line into pieces", () => {
    const svg = curvesSvg([
      { epoch: 1, loss: 10, recon: 8, kl: 2 },
      { epoch: 2, loss: NaN, recon: 7, kl: 2 },
      { epoch: 3, loss: 9, recon: 6, kl: Number.POSITIVE_INFINITY },
      { epoch: 4, loss: 8, recon: 5, kl: 1 },
    ]);
    expect(wellFormed(svg)).toBe(true);
    expect(svg).not.toMatch(/NaN|Infinity/);
    const [loss, recon, kl] = paths(svg);
    expect([count(loss!, "M"), count(loss!, "L")]).toEqual([2, 1]);
    expect([count(recon!, "M"), count(recon!, "L")]).toEqual([1, 3]);
    expect([count(kl!, "M"), count(kl!, "L")]).toEqual([2, 1]);
  });

  it("stays well-formed with no rows at all", () => {
    const svg = curvesSvg([]);
    expect(wellFormed(svg)).toBe(true);
    expect(paths(svg)).toHaveLength(0);
    expect(svg).toContain("no data");
  });

  it("checks its own well-formedness test", () => {
    expect(wellFormed("<svg><g></svg></g>")).toBe(false);
    expect(wellFormed("<svg><text>a < b</text></svg>")).toBe(false);
    expect(wellFormed('<svg><text x="1">a &amp; b</text><line/></svg>')).toBe(
      true,
    );
  });
});

describe("ticks and escaping", () => {
  it("picks 1/2/5 steps and formats them readably", () => {
    expect(niceTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(93.5, 206, 6)).toEqual([100, 120, 140, 160, 180, 200]);
    expect(niceTicks(1, 3, 8, 1)).toEqual([1, 2, 3]);
    expect(formatTick(0.25, 0.05)).toBe("0.25");
    expect(formatTick(120, 20)).toBe("120");
    expect(formatTick(-5, 5)).toBe("\u22125");
    expect(formatTick(2e-6, 1e-6)).toBe("2.0e-6");
  });

  it("escapes markup characters", () => {
    expect(escapeXml(`<a & "b" 'c'>`)).toBe(
      "&#60;a &#38; &#34;b&#34; &#39;c&#39;&#62;",
    );
  });
});
