// IR version 2 as the compiler writes it: every learned tensor listed once, in the fixed order,
// named as checkpoints name it, with its shape and raw init; every distribution parameter with
// its transform; the component's event size; the optimizer with every hyperparameter.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/driver.js";
import type { IrModel, IrParam } from "../../src/ir/types.js";
import { IR_VERSION } from "../../src/ir/types.js";

function model(body: string, train = ""): IrModel {
  const result = compile(`model m {\n${body}\n}\n${train}`, "m.vae");
  expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return result.models[0]!;
}

const param = (
  ir: IrModel,
  role: "priors" | "encoders" | "decoders",
  k: string,
): IrParam => ir[role][0]!.dist.params[k]!;

const e5 = Math.exp(5);

describe("parameters", () => {
  const ir = model(
    [
      "data x : real[6]",
      "latent z : real[3]",
      "prior p(z) = Normal(loc: learned, scale: learned(init: 2))",
      "encoder q(z | x) = DiagNormal(mlp(x, [5], tanh))",
      "decoder p(x | z) = Normal(loc: linear(z), scale: learned(shape: scalar, init: 0.5))",
    ].join("\n"),
  );

  it("is IR version 2", () => {
    expect(IR_VERSION).toBe(2);
    expect(ir.irVersion).toBe(2);
  });

  it("lists dense tensors in node order (kernel, bias), then priors, encoders, decoders", () => {
    const dense = ir.nodes.flatMap((n) => (n.op === "dense" ? [n] : []));
    expect(dense.map((n) => [n.kernel, n.bias])).toEqual(
      dense.map((n) => [`${n.id}.kernel`, `${n.id}.bias`]),
    );
    expect(ir.parameters.map((t) => t.name)).toEqual([
      ...dense.flatMap((n) => [n.kernel, n.bias]),
      "prior.z.loc",
      "prior.z.scale",
      "decoder.x.scale",
    ]);
  });

  it("sizes dense tensors [in, out] and [out], initialised U(−1/√in, 1/√in)", () => {
    for (const n of ir.nodes) {
      if (n.op !== "dense") continue;
      const b = 1 / Math.sqrt(n.in);
      const init = { kind: "uniform", low: -b, high: b };
      expect(ir.parameters.find((t) => t.name === n.kernel)).toEqual({
        name: n.kernel,
        shape: [n.in, n.out],
        init,
      });
      expect(ir.parameters.find((t) => t.name === n.bias)).toEqual({
        name: n.bias,
        shape: [n.out],
        init,
      });
    }
  });

  it("gives learned parameters [1, d] or [1, 1] and the raw init whose transform is the written init", () => {
    const byName = new Map(ir.parameters.map((t) => [t.name, t]));
    expect(byName.get("prior.z.loc")).toEqual({
      name: "prior.z.loc",
      shape: [1, 3],
      init: { kind: "constant", value: 0 },
    });
    // softplus⁻¹(2) = log(e² − 1); softplus⁻¹(0.5) = log(e^0.5 − 1).
    expect(byName.get("prior.z.scale")!.init).toEqual({
      kind: "constant",
      value: Math.log(Math.expm1(2)),
    });
    expect(byName.get("decoder.x.scale")).toEqual({
      name: "decoder.x.scale",
      shape: [1, 1],
      init: { kind: "constant", value: Math.log(Math.expm1(0.5)) },
    });
    expect(param(ir, "priors", "scale")).toEqual({
      kind: "learned",
      tensor: "prior.z.scale",
      transform: { kind: "softplus", min: Math.exp(-5), max: e5 },
    });
  });

  it("states each component's event size", () => {
    expect(
      [...ir.priors, ...ir.encoders, ...ir.decoders].map((c) => c.size),
    ).toEqual([3, 3, 6]);
    const cat = model(
      "data x : real[4]\ndata y : categorical[7]\nlatent z : real[2]\nprior p(z) = Normal(0, 1)\nencoder q(z | x) = DiagNormal(linear(x))\ndecoder p(y | z) = Categorical(linear(z))",
    );
    expect(cat.decoders[0]!.size).toBe(7);
  });
});

describe("transforms", () => {
  const base = (encoder: string, decoder = "Normal(linear(z))") =>
    `data x : real[4]\nlatent z : real[2]\nprior p(z) = Normal(0, 1)\nencoder q(z | x) = ${encoder}\ndecoder p(x | z) = ${decoder}`;

  it("DiagNormal: identity loc, exp_half scale with the default clamp [-10, 10]", () => {
    const ir = model(base("DiagNormal(linear(x))"));
    expect(param(ir, "encoders", "loc")).toMatchObject({
      transform: { kind: "identity" },
    });
    expect(param(ir, "encoders", "scale")).toMatchObject({
      transform: { kind: "exp_half", min: -10, max: 10 },
    });
    // Normal's fused head: loc | scale, the scale through softplus (its default head).
    expect(param(ir, "decoders", "loc")).toMatchObject({
      offset: 0,
      width: 4,
      transform: { kind: "identity" },
    });
    expect(param(ir, "decoders", "scale")).toMatchObject({
      offset: 4,
      width: 4,
      transform: { kind: "softplus", min: Math.exp(-5), max: e5 },
    });
  });

  it("a softplus head takes its bounds from the clamp option: σ ∈ [e^(lo/2), e^(hi/2)]", () => {
    const ir = model(
      base("DiagNormal(linear(x), scale_head: softplus, clamp: [-6, 4])"),
    );
    expect(param(ir, "encoders", "scale")).toMatchObject({
      transform: { kind: "softplus", min: Math.exp(-3), max: Math.exp(2) },
    });
  });

  it("a logvar learned scale starts at raw 2·log(init)", () => {
    const ir = model(
      base(
        "DiagNormal(linear(x))",
        "Normal(loc: linear(z), scale: learned(init: 0.25), scale_head: logvar)",
      ),
    );
    expect(param(ir, "decoders", "scale")).toMatchObject({
      transform: { kind: "exp_half", min: -10, max: 10 },
    });
    expect(ir.parameters.at(-1)).toEqual({
      name: "decoder.x.scale",
      shape: [1, 1],
      init: { kind: "constant", value: 2 * Math.log(0.25) },
    });
  });

  it("a constant scale has no transform: it is the constrained value", () => {
    const ir = model(
      base("DiagNormal(linear(x))", "Normal(loc: linear(z), scale: 0.3)"),
    );
    expect(param(ir, "decoders", "scale")).toEqual({
      kind: "const",
      value: 0.3,
    });
  });

  it("FullNormal: cholesky with the clamp bounds, default and given", () => {
    const ir = model(base("FullNormal(linear(x))"));
    expect(param(ir, "encoders", "scale_tril")).toMatchObject({
      kind: "net",
      width: 3,
      transform: { kind: "cholesky", min: -10, max: 10 },
    });
    const given = model(base("FullNormal(linear(x), clamp: [-3, 2])"));
    expect(param(given, "encoders", "scale_tril")).toMatchObject({
      transform: { kind: "cholesky", min: -3, max: 2 },
    });
  });

  it("GaussianMixture: logits, loc and scale tensors of its own", () => {
    const ir = model(
      "data x : binary[4]\nlatent z : real[2]\nprior p(z) = GaussianMixture(components: 3)\nencoder q(z | x) = DiagNormal(linear(x))\ndecoder p(x | z) = Bernoulli(logits: linear(z))",
    );
    expect(ir.priors[0]!.dist.params).toEqual({
      logits: {
        kind: "learned",
        tensor: "prior.z.logits",
        transform: { kind: "identity" },
      },
      loc: {
        kind: "learned",
        tensor: "prior.z.loc",
        transform: { kind: "identity" },
      },
      scale: {
        kind: "learned",
        tensor: "prior.z.scale",
        transform: { kind: "softplus", min: Math.exp(-5), max: e5 },
      },
    });
    expect(ir.parameters.slice(-3)).toEqual([
      {
        name: "prior.z.logits",
        shape: [1, 3],
        init: { kind: "constant", value: 0 },
      },
      {
        name: "prior.z.loc",
        shape: [3, 2],
        init: { kind: "normal", mean: 0, std: 1 },
      },
      {
        name: "prior.z.scale",
        shape: [3, 2],
        init: { kind: "constant", value: Math.log(Math.expm1(1)) },
      },
    ]);
  });

  it("keeps bounds and raw inits finite at the extremes (JSON has no ∞)", () => {
    const ir = model(
      base(
        "DiagNormal(linear(x), scale_head: softplus, clamp: [1500, 2000])",
        "Normal(loc: linear(z), scale: learned(init: 1e300))",
      ),
    );
    expect(param(ir, "encoders", "scale")).toMatchObject({
      transform: { min: Number.MAX_VALUE, max: Number.MAX_VALUE },
    });
    // softplus⁻¹(σ) = σ + log(1 − e^−σ) = σ for σ this large.
    expect(ir.parameters.at(-1)!.init).toEqual({
      kind: "constant",
      value: 1e300,
    });
  });
});

describe("optimizer", () => {
  const body =
    "data x : binary[4]\nlatent z : real[2]\nprior p(z) = Normal(0, 1)\nencoder q(z | x) = DiagNormal(linear(x))\ndecoder p(x | z) = Bernoulli(logits: linear(z))";
  const train = (optimizer: string) =>
    model(
      body,
      `train m { data = csv(path: "x.csv")${optimizer ? ` optimizer = ${optimizer}` : ""} }`,
    ).train!.optimizer;

  it("fills every hyperparameter's default", () => {
    expect(train("")).toEqual({
      name: "adam",
      lr: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
    });
    expect(train("adam(lr: 0.01, beta2: 0.99)")).toEqual({
      name: "adam",
      lr: 0.01,
      beta1: 0.9,
      beta2: 0.99,
      eps: 1e-8,
    });
    expect(train("sgd(lr: 0.1)")).toEqual({
      name: "sgd",
      lr: 0.1,
      momentum: 0,
    });
    expect(train("rmsprop(momentum: 0.5)")).toEqual({
      name: "rmsprop",
      lr: 1e-3,
      decay: 0.9,
      momentum: 0.5,
      eps: 1e-8,
    });
  });
});
