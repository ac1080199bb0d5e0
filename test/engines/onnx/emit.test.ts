// The ONNX emitter and executor (src/engines/onnx) against the float64 reference interpreter:
// every op of the op set on the tfjs executor's seeded cases (the list of ops comes from graph.ts,
// so a new op without a mapping or a case fails here), log1p/expm1 accurate near 0, logsumexp
// stable for large entries, clear errors for bad feeds, and a whole training step of a tiny VAE
// agreeing with the tfjs executor on the same feeds.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import type { HostTensor } from "../../../src/engines/engine.js";
import { OnnxProgram } from "../../../src/engines/onnx/execute.js";
import { onnxOps } from "../../../src/engines/onnx/ops.js";
import { TfjsProgram } from "../../../src/engines/tfjs/execute.js";
import { Builder } from "../../../src/program/builder.js";
import type { Program } from "../../../src/program/graph.js";
import { interpret, type NdArray } from "../../../src/program/interpret.js";
import { trainStepProgram } from "../../../src/program/model/programs.js";
import { optimizerRule } from "../../../src/program/optimizers.js";
import { initialWeights } from "../../../src/runtime/model/initial-weights.js";
import { quietTfjs } from "../../../src/runtime/quiet.js";
import { allOps } from "../../program/helpers/ops.js";
import { Rng } from "../../program/helpers/random.js";
import {
  compiled,
  tinyVaeSpec,
  trainFeeds,
} from "../../program/model/helpers.js";
import { cases, exactOps, instantiate } from "../tfjs/cases.js";
import { worst } from "../tfjs/helpers.js";

/**
 * float32 against float64: each op on float32 inputs is within a few ulps (2⁻²⁴ ≈ 6e-8 relative
 * each); the largest cases sum up to 24 terms, so 1e-5·(1 + |x|) leaves two orders of margin
 * while still catching any wrong formula.
 */
const VALUE_TOL = 1e-5;

const float32 = (feeds: Record<string, NdArray>): Map<string, HostTensor> =>
  new Map(
    Object.entries(feeds).map(([k, v]) => [
      k,
      { shape: v.shape, data: Float32Array.from(v.data) },
    ]),
  );

/** Runs `program` once in ONNX Runtime on one thread. */
async function runOnnx(
  program: Program,
  feeds: Map<string, HostTensor>,
): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
  const p = await OnnxProgram.create(program, { threads: 1 });
  try {
    return await p.run(feeds);
  } finally {
    await p.release();
  }
}

it("every op of graph.ts has an ONNX mapping and a test case", () => {
  expect([...onnxOps].sort()).toEqual([...allOps].sort());
  expect([...new Set(cases.map((c) => c.op))].sort()).toEqual(
    [...allOps].sort(),
  );
});

describe.each(cases.map((c, i) => [c.label, i] as const))("%s", (_, i) => {
  it("matches the float64 interpreter", async () => {
    const c = cases[i]!;
    const { program, feeds } = instantiate(c, 1000 + i);
    const want = interpret(program, feeds)["y"]!;
    const y = (await runOnnx(program, float32(feeds))).get("y")!;
    expect(y.shape).toEqual(want.shape);
    expect(y.data.length).toBe(want.data.length);
    if (exactOps.has(c.op))
      expect([...y.data]).toEqual([...want.data].map((v) => Math.fround(v)));
    else expect(worst(y.data, want.data)).toBeLessThanOrEqual(VALUE_TOL);
  });
});

/** The largest relative error |got − want| / |want| (no absolute floor: the test is near 0). */
function worstRelative(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
): number {
  let e = 0;
  for (let k = 0; k < want.length; k++)
    e = Math.max(e, Math.abs(got[k]! - want[k]!) / Math.abs(want[k]!));
  return e;
}

describe("precision", () => {
  // Arguments from 1e-12 to 0.9 of both signs (the naive log(1 + x) is off by 100% below 6e-8).
  const xs = [1e-12, -3e-10, 2e-8, -7e-7, 1e-5, -4e-3, 0.1, -0.5, 0.9].map(
    Math.fround,
  );
  const one = (
    f: (x: ReturnType<Builder["input"]>) => ReturnType<Builder["input"]>,
  ) => {
    const b = new Builder();
    return b.build({ y: f(b.input("x", [xs.length])) });
  };
  const feeds = new Map([
    ["x", { shape: [xs.length], data: Float32Array.from(xs) }],
  ]);

  // Kahan's correction leaves a few ulps (2⁻²⁴ ≈ 6e-8 each): 1e-6 relative, 16 ulps.
  it("log1p and expm1 are accurate to 1e-6 relative near 0", async () => {
    for (const [op, f, ref] of [
      ["log1p", (x: ReturnType<Builder["input"]>) => x.log1p(), Math.log1p],
      ["expm1", (x: ReturnType<Builder["input"]>) => x.expm1(), Math.expm1],
    ] as const) {
      const y = (await runOnnx(one(f), feeds)).get("y")!.data;
      expect(worstRelative(y, xs.map(ref)), op).toBeLessThan(1e-6);
    }
  });

  it("expm1 is finite and right far from 0", async () => {
    const b = new Builder();
    const p = b.build({ y: b.input("x", [4]).expm1() });
    const big = [-30, 3, 20, 80].map(Math.fround);
    const y = (
      await runOnnx(
        p,
        new Map([["x", { shape: [4], data: Float32Array.from(big) }]]),
      )
    ).get("y")!.data;
    expect(worstRelative(y, big.map(Math.expm1))).toBeLessThan(1e-6);
  });

  it("softplus neither overflows for large x nor loses small values", async () => {
    const b = new Builder();
    const p = b.build({ y: b.input("x", [4]).softplus() });
    const v = [-80, -20, 20, 100];
    const want = v.map(
      (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
    );
    const feed = new Map([["x", { shape: [4], data: Float32Array.from(v) }]]);
    const y = (await runOnnx(p, feed)).get("y")!.data;
    expect(worstRelative(y, want)).toBeLessThan(1e-6);
  });

  it("logsumexp does not overflow for entries near 1000", async () => {
    const b = new Builder();
    const p = b.build({ y: b.input("x", [2, 3]).logsumexp([1]) });
    const v = [1000, 999, 998, -1000, -1001, -999];
    const want = interpret(p, {
      x: { shape: [2, 3], data: Float64Array.from(v) },
    })["y"]!.data;
    const y = (
      await runOnnx(
        p,
        new Map([["x", { shape: [2, 3], data: Float32Array.from(v) }]]),
      )
    ).get("y")!.data;
    expect(worst(y, want)).toBeLessThan(VALUE_TOL);
  });
});

it("refuses a missing feed and a wrongly shaped feed by name", async () => {
  const b = new Builder();
  const p = await OnnxProgram.create(b.build({ y: b.input("x", [2]).exp() }), {
    threads: 1,
  });
  await expect(p.run(new Map())).rejects.toThrow("no value fed for 'x'");
  await expect(
    p.run(new Map([["x", { shape: [3], data: new Float32Array(3) }]])),
  ).rejects.toThrow("'x' was fed as [3], the program reads [2]");
  await p.release();
  await expect(p.run(new Map())).rejects.toThrow("released");
});

it("returns one value under two names, and a graph input as an output", async () => {
  const b = new Builder();
  const x = b.input("x", [2]);
  const e = x.exp();
  const out = await runOnnx(
    b.build({ a: e, b: e, same: x }),
    new Map([["x", { shape: [2], data: Float32Array.of(0, 1) }]]),
  );
  expect([...out.get("a")!.data]).toEqual([...out.get("b")!.data]);
  expect([...out.get("same")!.data]).toEqual([0, 1]);
});

describe("a training step of a tiny VAE", () => {
  const spec = tinyVaeSpec(6, 2);
  beforeAll(async () => {
    quietTfjs();
    await tf.setBackend("cpu");
  });

  // Both engines compute in float32 in different orders (Gemm blocking, fused reductions): the
  // stats and the updated tensors agree to rounding, far below 1e-4 relative. Adam's first step
  // moves each weight by ≈ lr·sign(g), so a wrong gradient would show at 1e-3/|w| relative.
  it("matches the tfjs executor on stats and every next/... output (1e-4 relative)", async () => {
    const ir = compiled(spec);
    const rule = optimizerRule(ir.train!.optimizer);
    const rows = 8;
    const step = trainStepProgram(ir, rows, rule);
    const rng = new Rng(5);
    const x = Array.from({ length: rows * 6 }, () =>
      rng.uniform() < 0.4 ? 1 : 0,
    );
    const data = { x: { shape: [rows, 6], data: Float32Array.from(x) } };
    const nd = trainFeeds(
      ir,
      step,
      rule,
      initialWeights(ir, 11),
      data,
      77,
      0.8,
    );
    const feeds = float32(nd);

    const onnxOut = await runOnnx(step.program, feeds);
    const tp = new TfjsProgram(step.program);
    const inputs = new Map(
      [...feeds].map(([k, v]) => [
        k,
        tf.tensor(v.data, [...v.shape], "float32"),
      ]),
    );
    const tfOut = tp.run(inputs);
    const names = step.program.outputs.map((o) => o.name);
    expect(names.filter((n) => n.startsWith("next/")).length).toBe(
      ir.parameters.length * (1 + rule.slots.length),
    );
    for (const name of names) {
      const want = tfOut.get(name)!.dataSync();
      const got = onnxOut.get(name)!.data;
      expect(got.length, name).toBe(want.length);
      let e = 0;
      for (let k = 0; k < want.length; k++)
        e = Math.max(
          e,
          Math.abs(got[k]! - want[k]!) / Math.max(Math.abs(want[k]!), 1e-6),
        );
      expect(e, name).toBeLessThan(1e-4);
    }
    // The weights moved: the step did something both engines agree on.
    const w = ir.parameters[0]!.name;
    expect(
      worst(onnxOut.get(`next/${w}`)!.data, feeds.get(w)!.data),
    ).toBeGreaterThan(1e-5);
    tf.dispose([...inputs.values(), ...tfOut.values()]);
    tp.dispose();
  });
});
