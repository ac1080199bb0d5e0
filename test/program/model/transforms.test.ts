// The programs read the IR, not names: the learned tensors are the IR's `parameters` (names,
// shapes, raw inits), each distribution parameter goes through the transform the IR states
// whatever it is called, and a Cholesky factor's log τ is clipped to its transform's bounds.
import { describe, expect, it } from "vitest";
import type { HostTensor } from "../../../src/engines/engine.js";
import type { IrModel, IrTransform } from "../../../src/ir/types.js";
import { Builder, type Sym } from "../../../src/program/builder.js";
import {
  DiagGaussian,
  FullGaussian,
  GaussianMixture,
} from "../../../src/program/distributions/index.js";
import { interpret } from "../../../src/program/interpret.js";
import { ModelGraph } from "../../../src/program/model/model.js";
import { trainStepProgram } from "../../../src/program/model/programs.js";
import { applyTransform } from "../../../src/program/model/transforms.js";
import { optimizerRule } from "../../../src/program/optimizers.js";
import { initialWeights } from "../../../src/runtime/model/initial-weights.js";
import { compiled, host, nd, ndAll } from "./helpers.js";

const model = (encoder: string, decoder: string): IrModel =>
  compiled(`model m {
  data x : real[3]
  latent z : real[2]
  prior p(z) = GaussianMixture(components: 2)
  encoder q(z | x) = ${encoder}
  decoder p(x | z) = ${decoder}
}
train m {
  data = csv(path: "x.csv")
}`);

/** A model whose encoder is `encoder` and whose decoder is a plain Normal. */
const headModel = (encoder: string): IrModel =>
  model(encoder, "Normal(linear(z))");

const softplus = (v: number): number => Math.log1p(Math.exp(v));
const clip = (v: number, lo: number, hi: number): number =>
  Math.min(hi, Math.max(lo, v));

/** The first encoder's parameter `name`, which must be a network head. */
function headParam(ir: IrModel, name: string) {
  const p = ir.encoders[0]!.dist.params[name]!;
  if (p.kind !== "net") throw new Error(`${name} is a network head`);
  return p;
}

/** Initial weights with the first dense layer's kernel [inputs, k] zero: the head is its bias. */
function biasOnly(
  ir: IrModel,
  inputs: number,
  bias: number[],
): Record<string, HostTensor> {
  const head = ir.nodes.find((n) => n.op === "dense")!;
  if (head.op !== "dense") throw new Error("dense");
  const w = initialWeights(ir, 1);
  const k = bias.length;
  w[head.kernel] = host([inputs, k], new Array(inputs * k).fill(0));
  w[head.bias] = host([k], bias);
  return w;
}

/** Evaluates `f` of a model graph in float64 with the given weights (and data x when read). */
function evaluate(
  ir: IrModel,
  weights: Record<string, HostTensor>,
  f: (g: ModelGraph) => Sym,
): Float64Array {
  const b = new Builder();
  const out = f(new ModelGraph(ir, b));
  const feeds = {
    ...ndAll(weights),
    "data/x": nd(host([1, 3], [0.3, -0.2, 0.9])),
  };
  return interpret(b.build({ out }), feeds)["out"]!.data;
}

describe("learned tensors", () => {
  const ir = model(
    "DiagNormal(linear(x))",
    "Normal(loc: linear(z), scale: learned(init: 0.3))",
  );

  it("are the IR's parameters: names, shapes, constant raw inits (float32), seeded random ones", () => {
    const w = initialWeights(ir, 7);
    expect(Object.keys(w)).toEqual(ir.parameters.map((t) => t.name));
    for (const t of ir.parameters) {
      const v = w[t.name]!;
      expect(v.shape, t.name).toEqual(t.shape);
      const values = [...v.data];
      const init = t.init;
      if (init.kind === "constant")
        expect(values).toEqual(values.map(() => Math.fround(init.value)));
      if (init.kind === "uniform") {
        const { low, high } = init;
        expect(
          values.every((x) => x >= low && x <= high),
          t.name,
        ).toBe(true);
      }
    }
    // The same seed draws the same random tensors; another seed other ones.
    const loc = "prior.z.loc";
    expect(ir.parameters.find((t) => t.name === loc)!.init.kind).toBe("normal");
    expect(initialWeights(ir, 7)[loc]!.data).toEqual(w[loc]!.data);
    expect(initialWeights(ir, 8)[loc]!.data).not.toEqual(w[loc]!.data);
  });

  it("are the training step's params, and are read by the name the IR gives them", () => {
    const p = trainStepProgram(ir, 4, optimizerRule(ir.train!.optimizer));
    const params = p.program.params.map((q): [string, number[]] => [
      q.name,
      [...q.shape],
    ]);
    expect(new Map(params)).toEqual(
      new Map(ir.parameters.map((t) => [t.name, t.shape])),
    );
    // Renaming the decoder's scale tensor in the IR renames the program's param.
    const renamed: IrModel = structuredClone(ir);
    const scale = renamed.decoders[0]!.dist.params["scale"]!;
    if (scale.kind !== "learned") throw new Error("scale is learned");
    renamed.parameters.find((t) => t.name === scale.tensor)!.name = "anything";
    scale.tensor = "anything";
    const q = trainStepProgram(renamed, 4, optimizerRule(ir.train!.optimizer));
    const names = q.program.params.map((r) => r.name);
    expect(names).toContain("anything");
    expect(names).not.toContain("decoder.x.scale");
    expect([...q.updates.values()]).toContain("anything");
  });
});

describe("applyTransform", () => {
  const raw = [-30, -2, -0.5, 0, 0.7, 3, 30];
  function apply(
    t: IrTransform,
    values: number[],
    cols: number,
    size: number,
  ): number[] {
    const b = new Builder();
    const x = b.input("raw", [values.length / cols, cols]);
    const out = applyTransform(x, t, size);
    const feeds = {
      raw: {
        shape: [values.length / cols, cols],
        data: Float64Array.from(values),
      },
    };
    return [...interpret(b.build({ out }), feeds)["out"]!.data];
  }

  it("identity: the raw value", () => {
    expect(apply({ kind: "identity" }, raw, 7, 7)).toEqual(raw);
  });

  it("softplus: clip(softplus(raw), min, max)", () => {
    const got = apply({ kind: "softplus", min: 0.1, max: 2 }, raw, 7, 7);
    got.forEach((v, i) =>
      expect(v).toBeCloseTo(clip(softplus(raw[i]!), 0.1, 2), 12),
    );
    expect(got[0]).toBe(0.1);
    expect(got[6]).toBe(2);
  });

  it("exp_half: σ = exp(½ · clip(log σ², min, max))", () => {
    const got = apply({ kind: "exp_half", min: -4, max: 4 }, raw, 7, 7);
    got.forEach((v, i) =>
      expect(v).toBeCloseTo(Math.exp(0.5 * clip(raw[i]!, -4, 4)), 12),
    );
  });

  it("cholesky: τ = exp(clip(log τ)) on the first d columns, L′ untouched", () => {
    // Packed [log τ (2) | L′ (1)]: log τ = 3 and −4 clip to 0.5 and −1; L′ = 7 stays.
    const got = apply(
      { kind: "cholesky", min: -1, max: 0.5 },
      [3, -4, 7],
      3,
      2,
    );
    expect(got[0]).toBeCloseTo(Math.exp(0.5), 12);
    expect(got[1]).toBeCloseTo(Math.exp(-1), 12);
    expect(got[2]).toBe(7);
    // d = 1 has no strictly lower part.
    expect(
      apply({ kind: "cholesky", min: -1, max: 0.5 }, [0.25], 1, 1)[0],
    ).toBeCloseTo(Math.exp(0.25), 12);
  });
});

describe("a model's components", () => {
  it("apply the transform the IR states, whatever the parameter is called", () => {
    const ir = model(
      "DiagNormal(linear(x))",
      "Normal(loc: linear(z), scale: learned(init: 0.3))",
    );
    // The mixture's `loc` through softplus clipped to [0.5, 0.6]: only the IR says so.
    const edited: IrModel = structuredClone(ir);
    const loc = edited.priors[0]!.dist.params["loc"]!;
    if (loc.kind !== "learned") throw new Error("loc is learned");
    loc.transform = { kind: "softplus", min: 0.5, max: 0.6 };
    const w = initialWeights(ir, 1);
    const prior = (g: ModelGraph) =>
      (g.priors().get("z") as GaussianMixture).loc;
    const got = evaluate(edited, w, prior);
    const rawLoc = w["prior.z.loc"]!.data;
    // Raw values are float32, the arithmetic float64.
    rawLoc.forEach((r, i) =>
      expect(got[i]).toBeCloseTo(clip(softplus(r), 0.5, 0.6), 12),
    );
    expect([...evaluate(ir, w, prior)]).toEqual([...rawLoc]);
    // The decoder's learned scale starts at σ = 0.3 through its softplus (float32 raw: 1e-6).
    const scale = evaluate(ir, w, (g) => {
      const z = g.b.input("z", [1, 2]);
      return (g.decoders(new Map([["z", z]])).get("x") as DiagGaussian).scale;
    });
    expect(scale[0]).toBeCloseTo(0.3, 6);
  });

  it("clip a Cholesky factor's log τ to the transform's bounds, not the clamp option's", () => {
    const ir = headModel("FullNormal(linear(x), clamp: [-10, 10])");
    const clamp = headParam(ir, "scale_tril").transform;
    expect(clamp).toEqual({ kind: "cholesky", min: -10, max: 10 });
    const edited: IrModel = structuredClone(ir);
    const bounds = { kind: "cholesky", min: -1, max: 0.5 } as const;
    headParam(edited, "scale_tril").transform = bounds;
    // A zero kernel: the head is its bias, [loc (2) | log τ (2) | L′ (1)] = [0, 0, 3, −4, 7].
    const w = biasOnly(ir, 3, [0, 0, 3, -4, 7]);
    const q = (g: ModelGraph) =>
      g.posteriors(g.data(1)).get("z") as FullGaussian;
    // L row-major: [[τ₁, 0], [L′, τ₂]].
    const l = evaluate(edited, w, (g) => q(g).scaleTrilFlat());
    [Math.exp(0.5), 0, 7, Math.exp(-1)].forEach((v, i) =>
      expect(l[i]).toBeCloseTo(v, 12),
    );
    // The IR as compiled clips to [−10, 10]: log τ = 3 and −4 pass.
    const wide = evaluate(ir, w, (g) => q(g).diag());
    expect(wide[0]).toBeCloseTo(Math.exp(3), 10);
    expect(wide[1]).toBeCloseTo(Math.exp(-4), 10);
  });

  it("clamp a log-variance head as its exp_half transform states", () => {
    const ir = headModel("DiagNormal(linear(x), clamp: [-4, 4])");
    const clamp = headParam(ir, "scale").transform;
    expect(clamp).toEqual({ kind: "exp_half", min: -4, max: 4 });
    const w = biasOnly(ir, 3, [0, 0, 10, -10]);
    const sigma = (g: ModelGraph) =>
      (g.posteriors(g.data(1)).get("z") as DiagGaussian).scale;
    // log σ² = ±10 clips to ±4: σ = e^{±2}.
    const got = evaluate(ir, w, sigma);
    expect(got[0]).toBeCloseTo(Math.exp(2), 12);
    expect(got[1]).toBeCloseTo(Math.exp(-2), 12);
  });
});
