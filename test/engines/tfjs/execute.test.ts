// The tfjs executor (src/engines/tfjs/execute.ts) against the float64 reference interpreter, on
// the cpu and wasm backends: every op of the op set on seeded inputs (the list of ops comes from
// graph.ts, so a new op without a kernel or a case fails here), tfjs autodiff through a run (zero
// gradients for comparisons, argmax, stop_gradient; central finite differences for the rest), no
// leaked tensors, intermediates freed early, and clear errors for bad feeds.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { TfjsProgram } from "../../../src/engines/tfjs/execute.js";
import { tfjsOps } from "../../../src/engines/tfjs/kernels.js";
import { interpret, type NdArray } from "../../../src/program/interpret.js";
import { initBackend } from "../../../src/runtime/backend.js";
import { size } from "../../program/helpers/arrays.js";
import { centralDifferences } from "../../program/helpers/finite-differences.js";
import { allOps } from "../../program/helpers/ops.js";
import { Rng } from "../../program/helpers/random.js";
import { cases, exactOps, instantiate } from "./cases.js";
import { compositeTests } from "./composite.js";
import { upload, worst } from "./helpers.js";

/**
 * float32 against float64: an op on float32 inputs is correctly rounded to within a few ulps
 * (2⁻²⁴ ≈ 6e-8 relative each); the largest cases sum 5–24 terms, so 1e-5·(1 + |x|) leaves two
 * orders of margin while still catching any wrong formula.
 */
const VALUE_TOL = 1e-5;
/**
 * tfjs's float32 gradient against float64 central differences (h = 1e-6: truncation ~h² f‴ and
 * rounding ~1e-16/h, both below 1e-9 here); the float32 chain rule errs by ~1e-6 relative.
 */
const GRAD_TOL = 1e-4;
const H = 1e-6;

it("every op of graph.ts has a tfjs kernel and a test case", () => {
  expect(new Set(allOps).size).toBe(allOps.length);
  expect([...tfjsOps].sort()).toEqual([...allOps].sort());
  expect([...new Set(cases.map((c) => c.op))].sort()).toEqual(
    [...allOps].sort(),
  );
});

it("every case's program contains the op it is named for", () => {
  for (const c of cases) {
    const { program } = instantiate(c, 0);
    expect(
      program.nodes.some((n) => n.op === c.op),
      c.label,
    ).toBe(true);
  }
});

function valueTest(index: number): void {
  const c = cases[index]!;
  const { program, feeds } = instantiate(c, 1000 + index);
  const want = interpret(program, feeds)["y"]!;
  const p = new TfjsProgram(program);
  const xs = upload(feeds);
  const y = p.run(xs).get("y")!;
  expect(y.shape).toEqual(want.shape);
  const got = y.dataSync();
  if (exactOps.has(c.op))
    expect([...got]).toEqual([...want.data].map((v) => Math.fround(v)));
  else expect(worst(got, want.data)).toBeLessThanOrEqual(VALUE_TOL);
  tf.dispose([y, ...xs.values()]);
  p.dispose();
}

/** Σ y ⊙ r in float64 by the interpreter, for finite differences. */
function loss64(
  program: ReturnType<typeof instantiate>["program"],
  feeds: Record<string, NdArray>,
  r: Float32Array,
): number {
  const y = interpret(program, feeds)["y"]!.data;
  let s = 0;
  for (let k = 0; k < y.length; k++) s += y[k]! * r[k]!;
  return s;
}

/** Central differences of Σ y ⊙ r with respect to every entry of the input `name`. */
const finiteDifference = (
  c: ReturnType<typeof instantiate>,
  name: string,
  r: Float32Array,
): number[] =>
  centralDifferences((feeds) => loss64(c.program, feeds, r), c.feeds, name, H);

function gradTest(index: number): void {
  const c = cases[index]!;
  const inst = instantiate(c, 2000 + index);
  const names = Object.keys(inst.feeds);
  const p = new TfjsProgram(inst.program);
  const outShape = inst.program.outputs[0]!.shape;
  const rng = new Rng(3000 + index);
  const r = Float32Array.from({ length: size(outShape) }, () =>
    Math.fround(rng.uniform() * 2 - 1),
  );
  const rT = tf.tensor(r, [...outShape]);
  const xs = [...upload(inst.feeds).values()];
  const before = tf.memory().numTensors;
  // loss = Σ run(x) ⊙ r, differentiated by tfjs's tape through every kernel of the run.
  const loss = (...ts: tf.Tensor[]): tf.Tensor =>
    tf.sum(
      tf.mul(p.run(new Map(names.map((n, j) => [n, ts[j]!]))).get("y")!, rT),
    );
  const grads = tf.grads(loss)(xs);
  const values = grads.map((g) => g.dataSync());
  grads.forEach((g, j) => expect(g.shape).toEqual(xs[j]!.shape));
  tf.dispose(grads);
  expect(tf.memory().numTensors, "tensors left by tf.grads").toBe(before);
  names.forEach((name, j) => {
    if (c.zeroGrad)
      expect(
        [...values[j]!].every((v) => v === 0),
        `d/${name} is 0`,
      ).toBe(true);
    else if (!c.kinked)
      expect(
        worst(values[j]!, finiteDifference(inst, name, r)),
        `d/${name}`,
      ).toBeLessThanOrEqual(GRAD_TOL);
  });
  tf.dispose([rT, ...xs]);
  p.dispose();
}

for (const backend of ["cpu", "wasm"] as const) {
  describe(`on the ${backend} backend`, () => {
    beforeAll(async () => {
      expect(await initBackend(backend)).toBe(backend);
    });

    describe.each(cases.map((c, i) => [c.label, i] as const))("%s", (_, i) => {
      it("matches the float64 interpreter", () => valueTest(i));
      it("differentiates under tf.grads", () => gradTest(i));
    });

    compositeTests();
  });
}
