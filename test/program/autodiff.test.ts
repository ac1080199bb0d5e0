// Reverse-mode AD against central finite differences, for every op of the program (the case
// table in autodiff-cases.ts iterates graph.ts's op lists, so an op without a case fails here),
// plus a composite MLP loss, zeros for values y does not depend on, and the pruning of VJPs
// for data-only branches.
import { describe, expect, it } from "vitest";
import { gradients } from "../../src/program/autodiff.js";
import { Builder, type Sym } from "../../src/program/builder.js";
import type { Node } from "../../src/program/graph.js";
import { interpret, type NdArray } from "../../src/program/interpret.js";
import { gradientCases, type Case } from "./autodiff-cases.js";
import { fill } from "./helpers/arrays.js";
import {
  centralDifferences,
  expectMatchesDifferences,
} from "./helpers/finite-differences.js";
import { allOps } from "./helpers/ops.js";
import { Rng } from "./helpers/random.js";

/**
 * Central differences (L(θ + h) − L(θ − h)) / 2h in float64 with h = 1e-6: the truncation error
 * is h²·|L‴|/6 ≈ 1e-13·|L‴| and the rounding error about ε·|L|/h ≈ 2e-10·|L|, both ≪ 1e-6 for
 * these small losses (|L| ≲ 50, |L‴| ≲ 1e3 on the chosen domains). So |fd − ad| < 1e-6·(1 + |fd|)
 * has a wide margin, while a wrong rule (a lost factor, a wrong sign or axis) is off by O(|fd|).
 */
const H = 1e-6;
const TOL = 1e-6;

/** Leaves as params (the differentiated ones) or inputs of a fresh builder. */
function leavesOf(b: Builder, c: Case, wrt: readonly string[]) {
  return Object.fromEntries(
    Object.entries(c.leaves).map(([name, l]) => [
      name,
      wrt.includes(name) ? b.param(name, l.shape) : b.input(name, l.shape),
    ]),
  ) as Record<string, Sym>;
}

/** loss = Σ f(leaves) ⊙ r, r a fed random array of f's shape. */
function lossOf(b: Builder, out: Sym): Sym {
  return out.mul(b.input("r", out.shape)).sum();
}

/** Checks the AD gradient of Σ f ⊙ r with respect to each wrt leaf against central differences. */
function checkCase(c: Case, seed: number): void {
  const rng = new Rng(seed);
  const wrt = c.wrt ?? Object.keys(c.leaves);
  const feeds: Record<string, NdArray> = {};
  for (const [name, l] of Object.entries(c.leaves))
    feeds[name] = fill(l.shape, () => (l.draw ?? ((r) => r.normal()))(rng));

  const b = new Builder();
  const v = leavesOf(b, c, wrt);
  const out = c.f(v, b);
  feeds["r"] = fill([...out.shape], () => rng.normal());
  const grads = gradients(
    lossOf(b, out),
    wrt.map((n) => v[n]!),
  );
  const program = b.build(
    Object.fromEntries(wrt.map((n, i) => [n, grads[i]!])),
  );
  expect(
    b.nodes.some((n) => n.op === c.op),
    `the case computes ${c.op}`,
  ).toBe(true);
  const ad = interpret(program, feeds);

  const bf = new Builder();
  const vf = leavesOf(bf, c, []);
  const frozen: Record<string, Sym> = {};
  for (const [name, l] of Object.entries(c.leaves)) {
    frozen[name] = bf.input(`frozen/${name}`, l.shape);
    feeds[`frozen/${name}`] = feeds[name]!;
  }
  const lossProgram = bf.build({
    loss: lossOf(bf, c.fd ? c.fd(vf, frozen, bf) : c.f(vf, bf)),
  });
  const loss = (at: Record<string, NdArray>): number =>
    interpret(lossProgram, at)["loss"]!.data[0]!;
  for (const name of wrt) {
    const g = ad[name]!;
    expect(g.shape, `d/${name} has ${name}'s shape`).toEqual(
      c.leaves[name]!.shape,
    );
    const fd = centralDifferences(loss, feeds, name, H);
    expectMatchesDifferences(g.data, fd, TOL, `d/${name}`);
  }
}

const cases = gradientCases();

describe("every op's VJP matches central differences", () => {
  it("every op of graph.ts has at least one case", () => {
    const missing = allOps.filter((op) => !cases.some((c) => c.op === op));
    expect(missing).toEqual([]);
    expect(new Set(allOps).size).toBe(allOps.length);
  });
  it.each(cases.map((c, i) => [c.label, c, i] as const))("%s", (_label, c, i) =>
    checkCase(c, 1000 + i),
  );
});

describe("composites", () => {
  it("a 2-layer MLP's cross-entropy loss, with respect to every weight", () => {
    const [rows, din, hidden, dout] = [5, 4, 6, 3];
    const labels = [0, 2, 1, 1, 0];
    checkCase(
      {
        op: "matmul",
        label: "mlp",
        leaves: {
          x: { shape: [rows, din] },
          onehot: {
            shape: [rows, dout],
            draw: (() => {
              let i = 0;
              return () =>
                labels[Math.floor(i / dout)] === i++ % dout ? 1 : 0;
            })(),
          },
          w1: { shape: [din, hidden] },
          b1: { shape: [hidden] },
          w2: { shape: [dout, hidden] },
          b2: { shape: [1, dout] },
        },
        wrt: ["w1", "b1", "w2", "b2"],
        // logits = tanh(x·W₁ + b₁)·W₂ᵀ + b₂; loss = −(1/B) Σ onehot ⊙ log softmax(logits).
        f: (v) => {
          const h = v.x!.matmul(v.w1!).add(v.b1!).tanh();
          const logits = h.matmul(v.w2!, { transB: true }).add(v.b2!);
          return logits.logSoftmax(1).mul(v.onehot!).sum(1).mean().neg();
        },
      },
      7,
    );
  });

  it("a value used several times sums its contributions, to second order", () => {
    const b = new Builder();
    const x = b.param("x", [2, 3]);
    const r = b.input("r", [2, 3]);
    const s = b.input("s", [2, 3]);
    // y = Σ x³ ⊙ r: dy/dx = 3x² ⊙ r, and d/dx Σ (dy/dx) ⊙ s = 6x ⊙ r ⊙ s.
    const y = x.mul(x).mul(x).mul(r).sum();
    const [g] = gradients(y, [x]);
    const [g2] = gradients(g!.mul(s).sum(), [x]);
    const feeds = {
      x: fill([2, 3], (i) => i - 2.5),
      r: fill([2, 3], (i) => 1 + i),
      s: fill([2, 3], (i) => 0.5 * i - 1),
    };
    const at = interpret(b.build({ g: g!, g2: g2! }), feeds);
    const x0 = feeds.x.data;
    const r0 = feeds.r.data;
    const s0 = feeds.s.data;
    expect([...at["g"]!.data]).toEqual(
      [...x0].map((v, i) => 3 * v * v * r0[i]!),
    );
    expect([...at["g2"]!.data]).toEqual(
      [...x0].map((v, i) => 6 * v * r0[i]! * s0[i]!),
    );
  });
});

/** The ops of the nodes `gradients` appended to b after the first `before`. */
const appended = (b: Builder, before: number): string[] =>
  b.nodes.slice(before).map((n: Node) => n.op);

describe("what the sweep emits", () => {
  it("gives zeros of its shape to a wrt that y does not depend on", () => {
    const b = new Builder();
    const x = b.param("x", [2, 3]);
    const w = b.param("w", [3, 2]);
    const y = x.square().sum();
    const [gx, gw] = gradients(y, [x, w]);
    expect(gw!.shape).toEqual([3, 2]);
    const at = interpret(b.build({ gx: gx!, gw: gw! }), {
      x: fill([2, 3], (i) => i - 1),
      w: fill([3, 2], (i) => i + 1),
    });
    expect([...at["gw"]!.data]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...at["gx"]!.data]).toEqual([-2, 0, 2, 4, 6, 8]);
    // No VJP for w: only x's chain (sum, square) and the seed and zeros were emitted.
    const b2 = new Builder();
    const y2 = b2.param("x", [2]).exp().sum();
    const w2 = b2.param("w", [4]);
    const n2 = b2.nodes.length;
    gradients(y2, [w2]);
    expect(
      appended(b2, n2).every((op) => ["const", "broadcast"].includes(op)),
    ).toBe(true);
  });

  it("emits no VJP for a data-only branch (a dense layer's gradient wrt its kernel)", () => {
    const build = (wrtData: boolean) => {
      const b = new Builder();
      const raw = b.input("x", [5, 4]);
      const x = raw.tanh();
      const w = b.param("w", [4, 3]);
      const bias = b.param("bias", [3]);
      const loss = x
        .matmul(w)
        .add(bias)
        .mul(b.input("r", [5, 3]))
        .sum();
      const before = b.nodes.length;
      gradients(loss, wrtData ? [w, raw] : [w]);
      return appended(b, before).filter((op) => op !== "const");
    };
    // sum → reshape + broadcast of dy; mul → dy ⊙ r; add → dy as is (bias is not asked for);
    // matmul → xᵀ·dy only. No x-side gradient, no tanh VJP.
    expect(build(false)).toEqual(["reshape", "broadcast", "mul", "matmul"]);
    // Asking for x as well adds dy·Wᵀ and the tanh rule: the count could differ.
    const full = build(true);
    expect(full.filter((op) => op === "matmul")).toHaveLength(2);
    expect(full.length).toBeGreaterThan(4);
  });

  it("stop_gradient and comparisons cut the path: the gradient is zero", () => {
    const b = new Builder();
    const x = b.param("x", [3]);
    const y = x
      .stopGradient()
      .sum()
      .add(x.greater(0).mul(x.exp().less(2)).sum());
    const [g] = gradients(y, [x]);
    const at = interpret(b.build({ g: g! }), { x: fill([3], (i) => i - 1) });
    expect([...at["g"]!.data]).toEqual([0, 0, 0]);
  });
});

describe("hand-computed gradients", () => {
  it("max splits the cotangent evenly among ties", () => {
    const b = new Builder();
    const x = b.param("x", [2, 4]);
    const [g] = gradients(
      x
        .max(1)
        .mul(b.constant([1, 10], [2]))
        .sum(),
      [x],
    );
    const at = interpret(b.build({ g: g! }), {
      x: { shape: [2, 4], data: Float64Array.of(1, 3, 3, 2, 5, 5, 5, -1) },
    });
    expect([...at["g"]!.data]).toEqual([
      0,
      0.5,
      0.5,
      0,
      10 / 3,
      10 / 3,
      10 / 3,
      0,
    ]);
  });

  it("a non-scalar y with dy gives the vector-Jacobian product dy ⊙ eˣ", () => {
    const b = new Builder();
    const x = b.param("x", [2, 3]);
    const dy = b.input("dy", [2, 3]);
    const [g] = gradients(x.exp(), [x], dy);
    const feeds = {
      x: fill([2, 3], (i) => 0.3 * i),
      dy: fill([2, 3], (i) => i - 2),
    };
    const at = interpret(b.build({ g: g! }), feeds);
    expect([...at["g"]!.data]).toEqual(
      [...feeds.x.data].map((v, i) => Math.exp(v) * feeds.dy.data[i]!),
    );
  });

  it("rejects a non-scalar y without dy, a dy of another shape and foreign values", () => {
    const b = new Builder();
    const x = b.param("x", [2, 3]);
    expect(() => gradients(x.exp(), [x])).toThrow(/shape \[2, 3\].*needs dy/);
    expect(() => gradients(x.exp(), [x], b.input("dy", [3]))).toThrow(
      /dy has shape \[3\], y has shape \[2, 3\]/,
    );
    const other = new Builder().param("w", [2]);
    expect(() => gradients(x.sum(), [other])).toThrow(/another program/);
  });
});
