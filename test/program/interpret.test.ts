// The float64 reference interpreter on hand-computed examples: each op family, the numerically
// careful forms (softplus, sigmoid, elu, logsumexp at extreme values), NumPy broadcasting, tie
// rules, and the feed checks.
import { describe, expect, it } from "vitest";
import { Builder, concat, type Sym } from "../../src/program/builder.js";
import { interpret, type NdArray } from "../../src/program/interpret.js";

const arr = (shape: number[], ...values: number[]): NdArray => ({
  shape,
  data: Float64Array.from(values),
});

/** Evaluates f of one input x (fed `x`) and returns the output's shape and values. */
function run1(x: NdArray, f: (x: Sym, b: Builder) => Sym) {
  const b = new Builder();
  const y = f(b.input("x", x.shape), b);
  const out = interpret(b.build({ y }), { x })["y"]!;
  return { shape: out.shape, values: [...out.data] };
}
const values1 = (x: NdArray, f: (x: Sym, b: Builder) => Sym): number[] =>
  run1(x, f).values;

describe("elementwise", () => {
  const x = arr([5], -2, -0.5, 0, 0.5, 2);
  it("computes the unary ops", () => {
    expect(values1(x, (v) => v.neg())).toEqual([2, 0.5, -0, -0.5, -2]);
    expect(values1(x, (v) => v.relu())).toEqual([0, 0, 0, 0.5, 2]);
    expect(values1(x, (v) => v.abs())).toEqual([2, 0.5, 0, 0.5, 2]);
    expect(values1(x, (v) => v.sign())).toEqual([-1, -1, 0, 1, 1]);
    expect(values1(x, (v) => v.square())).toEqual([4, 0.25, 0, 0.25, 4]);
    expect(values1(x, (v) => v.leakyRelu(0.1))).toEqual([
      -0.2, -0.05, 0, 0.5, 2,
    ]);
    expect(values1(x, (v) => v.clip(-1, 1))).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(values1(x, (v) => v.stopGradient())).toEqual([...x.data]);
    expect(values1(arr([3], 4, 0.25, 9), (v) => v.sqrt())).toEqual([2, 0.5, 3]);
    expect(values1(arr([2], 4, -0.5), (v) => v.reciprocal())).toEqual([
      0.25, -2,
    ]);
    expect(values1(arr([2], 0, 1), (v) => v.exp())).toEqual([1, Math.E]);
    expect(values1(arr([2], 1, Math.E), (v) => v.log())).toEqual([0, 1]);
  });

  it("keeps precision and range at extreme values", () => {
    const big = arr([5], -1000, -40, 0, 40, 1000);
    const sp = values1(big, (v) => v.softplus());
    expect(sp[0]).toBe(0); // e^−1000 underflows; no log(0) and no NaN
    expect(sp[1]).toBeCloseTo(Math.exp(-40), 30);
    expect(sp[2]).toBe(Math.LN2);
    expect(sp[3]).toBe(40); // 40 + log1p(e^−40) rounds to 40
    expect(sp[4]).toBe(1000); // log(1 + e^1000) would overflow
    const sg = values1(big, (v) => v.sigmoid());
    expect(sg).toEqual([0, sg[1], 0.5, 1, 1]);
    expect(sg[1]! / Math.exp(-40)).toBeCloseTo(1, 12); // σ(−40) ≈ e^−40, not 0
    // log1p/elu near 0 keep full relative precision, where log(1 + x) and eˣ − 1 lose ~4 of
    // 16 digits at x = 1e-12: log1p(x) = x − x²/2 + …, expm1(x) = x + x²/2 + ….
    const tiny = arr([2], 1e-12, -1e-12);
    const l1p = values1(tiny, (v) => v.log1p())[0]!;
    expect(Math.abs(l1p / (1e-12 - 5e-25) - 1)).toBeLessThan(1e-15);
    expect(Math.abs(Math.log(1 + 1e-12) / 1e-12 - 1)).toBeGreaterThan(1e-6);
    expect(values1(tiny, (v) => v.elu())).toEqual([1e-12, Math.expm1(-1e-12)]);
    expect(values1(arr([2], -1, 3), (v) => v.elu())).toEqual([
      Math.expm1(-1),
      3,
    ]);
  });

  it("broadcasts binary ops as NumPy", () => {
    const b = new Builder();
    const a = b.input("a", [2, 1]);
    const c = b.input("c", [3]);
    const out = interpret(
      b.build({
        sum: a.add(c),
        diff: a.sub(c),
        prod: a.mul(2),
        quot: c.div(a),
      }),
      { a: arr([2, 1], 1, 10), c: arr([3], 1, 2, 4) },
    );
    expect(out["sum"]).toEqual(arr([2, 3], 2, 3, 5, 11, 12, 14));
    expect([...out["diff"]!.data]).toEqual([0, -1, -3, 9, 8, 6]);
    expect([...out["prod"]!.data]).toEqual([2, 20]);
    expect([...out["quot"]!.data]).toEqual([1, 2, 4, 0.1, 0.2, 0.4]);
  });

  it("compares to 0/1 and selects with where (a where cond ≠ 0)", () => {
    const x = arr([4], -1, 0, 0.5, 2);
    expect(values1(x, (v) => v.less(0.5))).toEqual([1, 1, 0, 0]);
    expect(values1(x, (v) => v.greater(0))).toEqual([0, 0, 1, 1]);
    expect(values1(x, (v) => v.equal(0.5))).toEqual([0, 0, 1, 0]);
    // cond −1, 0.5 and 2 are all "true"; the b operand [2, 1] broadcasts against [4].
    const r = run1(x, (v, b) =>
      v.select(b.constant([10, 20, 30, 40], [4]), b.constant([7, 8], [2, 1])),
    );
    expect(r).toEqual({
      shape: [2, 4],
      values: [10, 7, 30, 40, 10, 8, 30, 40],
    });
  });
});

describe("reductions", () => {
  const x = arr([2, 3], 1, 5, 2, 4, 4, -1);
  it("sum, mean (sum / count) and max over axes, with and without keepDims", () => {
    expect(run1(x, (v) => v.sum(1))).toEqual({ shape: [2], values: [8, 7] });
    expect(run1(x, (v) => v.sum(0, true))).toEqual({
      shape: [1, 3],
      values: [5, 9, 1],
    });
    expect(run1(x, (v) => v.sum())).toEqual({ shape: [], values: [15] });
    expect(run1(x, (v) => v.mean([0, 1], true))).toEqual({
      shape: [1, 1],
      values: [2.5],
    });
    expect(values1(x, (v) => v.mean(0))).toEqual([2.5, 4.5, 0.5]);
    expect(values1(x, (v) => v.max(1))).toEqual([5, 4]);
    expect(values1(x, (v) => v.max(0))).toEqual([4, 5, 2]);
  });

  it("logsumexp subtracts the max: huge values, and all −∞ gives −∞", () => {
    const big = arr([3, 2], 1000, 1000, -Infinity, -Infinity, 0, Math.log(3));
    const lse = values1(big, (v) => v.logsumexp(1));
    expect(lse[0]).toBeCloseTo(1000 + Math.LN2, 12);
    expect(lse[1]).toBe(-Infinity);
    expect(lse[2]).toBeCloseTo(Math.log(4), 14);
  });

  it("argmax takes the first index on ties, kept as a size-1 axis", () => {
    const t = arr([2, 4], 1, 3, 3, 2, 7, 7, 7, 7);
    expect(run1(t, (v) => v.argmax(1))).toEqual({
      shape: [2, 1],
      values: [1, 0],
    });
    expect(run1(t, (v) => v.argmax(0))).toEqual({
      shape: [1, 4],
      values: [1, 1, 1, 1],
    });
  });
});

describe("matmul and structural ops", () => {
  const a = arr([2, 3], 1, 2, 3, 4, 5, 6);
  it("matmul with each transpose flag", () => {
    const b = new Builder();
    const x = b.input("a", [2, 3]);
    const out = interpret(
      b.build({
        nn: x.matmul(b.constant([1, 0, 0, 1, 1, 1], [3, 2])),
        nt: x.matmul(x, { transB: true }),
        tn: x.matmul(x, { transA: true }),
        tt: x.matmul(b.constant([1, 1, 0, 0, 1, 0], [3, 2]), {
          transA: true,
          transB: true,
        }),
      }),
      { a },
    );
    expect([...out["nn"]!.data]).toEqual([4, 5, 10, 11]);
    expect([...out["nt"]!.data]).toEqual([14, 32, 32, 77]);
    expect(out["tn"]!.shape).toEqual([3, 3]);
    expect([...out["tn"]!.data]).toEqual([17, 22, 27, 22, 29, 36, 27, 36, 45]);
    // Aᵀ·Bᵀ = (B·A)ᵀ with B = [[1, 1], [0, 0], [1, 0]].
    expect([...out["tt"]!.data]).toEqual([5, 0, 1, 7, 0, 2, 9, 0, 3]);
  });

  it("reshape, slice, concat, tile, transpose and broadcast", () => {
    expect(run1(a, (v) => v.reshape([3, 2]))).toEqual({
      shape: [3, 2],
      values: [1, 2, 3, 4, 5, 6],
    });
    expect(run1(a, (v) => v.slice([0, 1], [2, -1]))).toEqual({
      shape: [2, 2],
      values: [2, 3, 5, 6],
    });
    expect(run1(a, (v) => v.transpose())).toEqual({
      shape: [3, 2],
      values: [1, 4, 2, 5, 3, 6],
    });
    expect(run1(a, (v) => v.tile([1, 2]))).toEqual({
      shape: [2, 6],
      values: [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6],
    });
    expect(run1(a, (v) => v.tile([2, 1])).values).toEqual([
      1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6,
    ]);
    expect(
      run1(a, (v, b) => concat([v, b.constant([9, 8], [2, 1])], 1)),
    ).toEqual({
      shape: [2, 4],
      values: [1, 2, 3, 9, 4, 5, 6, 8],
    });
    expect(
      run1(a, (v) => concat([v, v.slice([0, 0], [1, 3])], 0)).values,
    ).toEqual([1, 2, 3, 4, 5, 6, 1, 2, 3]);
    expect(run1(arr([2, 1], 1, 2), (v) => v.broadcastTo([2, 2, 3]))).toEqual({
      shape: [2, 2, 3],
      values: [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2],
    });
    const t3 = arr([2, 3, 2], ...Array.from({ length: 12 }, (_, i) => i));
    expect(run1(t3, (v) => v.transpose([2, 0, 1]))).toEqual({
      shape: [2, 2, 3],
      values: [0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11],
    });
  });
});

describe("feeds", () => {
  const program = () => {
    const b = new Builder();
    return b.build({ y: b.input("x", [2]).mul(b.param("w", [2])) });
  };
  it("names a missing feed, a mis-shaped one and one of the wrong length", () => {
    const x = arr([2], 1, 2);
    expect(() => interpret(program(), { x })).toThrow(
      /feed 'w' is missing \(param of shape \[2\]\)/,
    );
    expect(() => interpret(program(), { x, w: arr([1, 2], 1, 2) })).toThrow(
      /feed 'w' has shape \[1, 2\], but the param has shape \[2\]/,
    );
    expect(() => interpret(program(), { x: arr([2], 1), w: x })).toThrow(
      /feed 'x' of shape \[2\] has 1 values, not 2/,
    );
  });
  it("ignores extra feeds and does not alias the feeds in its outputs", () => {
    const b = new Builder();
    const x = b.input("x", [2]);
    const feeds = { x: arr([2], 3, 4), unused: arr([1], 0) };
    const out = interpret(b.build({ y: x.reshape([1, 2]) }), feeds);
    expect(out["y"]).toEqual(arr([1, 2], 3, 4));
    out["y"]!.data[0] = 99;
    expect(feeds.x.data[0]).toBe(3);
  });
});
