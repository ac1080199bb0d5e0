// Checker behaviour beyond the golden files: head widths the compiler infers, KL resolution,
// β schedules, view bindings and model classification, checked against hand-computed values.
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/driver.js";
import type { IrModel } from "../../../src/ir/types.js";

function model(body: string, train = ""): IrModel {
  const r = compile(`model m {\n${body}\n}\n${train}`, "t.vae");
  expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return r.models[0]!;
}
function codes(body: string, train = ""): string[] {
  return compile(`model m {\n${body}\n}\n${train}`, "t.vae").diagnostics.map(
    (d) => d.code,
  );
}

const base = (
  encoder: string,
  decoder = "Bernoulli(logits: mlp(z, [8], relu))",
  d = 5,
) =>
  `data x : binary[12]\nlatent z : real[${d}]\nprior p(z) = Normal(0, 1)\nencoder q(z | x) = ${encoder}\ndecoder p(x | z) = ${decoder}`;

function headOut(ir: IrModel, id: string): number {
  const n = ir.nodes.find((x) => x.id === id)!;
  return n.op === "input" ? n.width : n.out;
}

describe("width inference", () => {
  it("sizes a fused DiagNormal head 2·d and splits it loc | scale", () => {
    const ir = model(base("DiagNormal(mlp(x, [16], relu))"));
    const { loc, scale } = ir.encoders[0]!.dist.params;
    expect(loc).toMatchObject({ kind: "net", offset: 0, width: 5 });
    expect(scale).toMatchObject({ kind: "net", offset: 5, width: 5 });
    expect(headOut(ir, (loc as { node: string }).node)).toBe(10);
  });

  it.each([1, 2, 3, 8, 20])(
    "sizes a FullNormal head d + d(d+1)/2 for d = %i",
    (d) => {
      const ir = model(base("FullNormal(mlp(x, [16], relu))", undefined, d));
      const { loc, scale_tril } = ir.encoders[0]!.dist.params;
      expect(loc).toMatchObject({ offset: 0, width: d });
      expect(scale_tril).toMatchObject({ offset: d, width: (d * (d + 1)) / 2 });
      expect(headOut(ir, (loc as { node: string }).node)).toBe(
        d + (d * (d + 1)) / 2,
      );
    },
  );

  it("sizes a Categorical head by the number of classes, not the label's column", () => {
    const ir = model(
      "data x : real[6]\ndata y : categorical[7]\nlatent z : real[3]\nprior p(z) = Normal(0, 1)\nencoder q(z | x) = DiagNormal(linear(x))\ndecoder p(y | z) = Categorical(logits: linear(z))",
    );
    const logits = ir.decoders[0]!.dist.params["logits"] as {
      node: string;
      width: number;
    };
    expect(logits.width).toBe(7);
    expect(ir.views.find((v) => v.name === "y")).toMatchObject({
      width: 1,
      categories: 7,
    });
  });

  it("shares a dense trunk between two heads and records each layer's in/out", () => {
    const ir = model(
      "data x : real[6]\nlatent z : real[3]\nlet h = dense(x, [9, 4], tanh)\nprior p(z) = Normal(0, 1)\nencoder q(z | x) = DiagNormal(loc: linear(h), scale: linear(h))\ndecoder p(x | z) = Normal(linear(z))",
    );
    const dense = ir.nodes
      .filter((n) => n.op === "dense")
      .map((n) => n.op === "dense" && [n.in, n.out, n.activation]);
    expect(dense).toEqual([
      [6, 9, "tanh"],
      [9, 4, "tanh"],
      [4, 3, "linear"],
      [4, 3, "linear"],
      [3, 12, "linear"],
    ]);
    const dec = ir.decoders[0]!.dist.params;
    expect(dec["loc"]).toMatchObject({ offset: 0, width: 6 });
    expect(dec["scale"]).toMatchObject({ offset: 6, width: 6 });
  });

  it("gives a concat the sum of its inputs' widths", () => {
    const ir = model(
      "data a : real[3]\ndata b : real[4]\nlatent z : real[2]\nprior p(z) = Normal(0, 1)\nencoder q(z | a, b) = DiagNormal(mlp(concat(a, b), [5], relu))\ndecoder p(a | z) = Normal(loc: linear(z), scale: 1)\ndecoder p(b | z) = Normal(loc: linear(z), scale: 1)",
    );
    const concat = ir.nodes.find((n) => n.op === "concat")!;
    expect(concat.op === "concat" && concat.out).toBe(7);
  });

  it("infers a let head from its only consumer, rejects conflicting consumers and unconsumed heads", () => {
    expect(
      codes(base("DiagNormal(h)") + "\nlet h = mlp(x, [4], relu)"),
    ).toEqual([]);
    expect(
      codes(
        base("DiagNormal(loc: h, scale: h)", "Bernoulli(logits: linear(z))") +
          "\nlet h = mlp(x, [4], relu)",
      ),
    ).toEqual([]);
    expect(
      codes(
        base("FullNormal(loc: h, scale_tril: h)") +
          "\nlet h = mlp(x, [4], relu)",
      ),
    ).toEqual(["E044"]);
    expect(
      codes(base("DiagNormal(linear(h))") + "\nlet h = mlp(x, [4], relu)"),
    ).toEqual(["E043"]);
    expect(codes(base("DiagNormal(linear(x, 9))"))).toEqual(["E041"]);
  });
});

describe("KL and β", () => {
  it("resolves auto to analytic for a Gaussian pair and to Monte Carlo for a mixture prior", () => {
    expect(model(base("DiagNormal(linear(x))")).kl[0]).toMatchObject({
      requested: "auto",
      method: "analytic",
    });
    const mix = model(
      base("DiagNormal(linear(x))").replace(
        "Normal(0, 1)",
        "GaussianMixture(components: 3)",
      ),
    );
    expect(mix.kl[0]).toMatchObject({
      requested: "auto",
      method: "mc",
      posterior: "diag_normal",
      prior: "mixture_normal",
    });
  });

  it("lets a per-latent kl override the model's", () => {
    const ir = model(
      base("DiagNormal(linear(x))") + "\nkl = analytic\nkl(z) = mc(samples: 7)",
    );
    expect(ir.kl[0]).toMatchObject({ method: "mc", samples: 7 });
  });

  it("reads β schedules", () => {
    expect(
      model(
        base("DiagNormal(linear(x))") + "\nbeta = warmup(0 -> 2, epochs: 4)",
      ).beta,
    ).toMatchObject({ schedule: "warmup", from: 0, to: 2, epochs: 4 });
    expect(
      model(
        base("DiagNormal(linear(x))") + "\nbeta = cyclical(0 -> 1, period: 3)",
      ).beta,
    ).toMatchObject({ schedule: "cyclical", period: 3, ramp: 0.5 });
    expect(model(base("DiagNormal(linear(x))")).beta).toMatchObject({
      schedule: "constant",
      value: 1,
    });
    expect(codes(base("DiagNormal(linear(x))") + "\nbeta = 0")).toEqual([
      "E040",
    ]);
  });
});

describe("train block", () => {
  const two =
    "data top : real[392]\ndata bottom : binary[392]\nlatent z : real[2]\nprior p(z) = Normal(0, 1)\nencoder q(z | top) = DiagNormal(linear(top))\ndecoder p(bottom | z) = Bernoulli(linear(z))";
  it("binds image halves and computes their width (28·28 / 2)", () => {
    const ir = model(
      two,
      'train m { data = mnist(split: "train") views = { top: top_half(image), bottom: bottom_half(image) } }',
    );
    expect(ir.train!.views.map((v) => [v.view, v.select.kind])).toEqual([
      ["top", "top_half"],
      ["bottom", "bottom_half"],
    ]);
    expect(
      codes(
        two.replace("real[392]", "real[300]"),
        "train m { data = mnist() views = { top: top_half(image), bottom: bottom_half(image) } }",
      ),
    ).toEqual(["E053"]);
  });
  it("applies defaults (adam 1e-3, batch 128, 10 epochs, seed 0)", () => {
    const ir = model(
      base("DiagNormal(linear(x))"),
      'train m { data = csv(path: "x.csv") }',
    );
    expect(ir.train!.data).toMatchObject({
      kind: "csv",
      path: "x.csv",
      header: false,
    });
    expect(ir.train).toMatchObject({
      optimizer: { name: "adam", lr: 1e-3 },
      batch: 128,
      epochs: 10,
      seed: 0,
      test: null,
    });
  });
});

describe("classification", () => {
  it("tells a VAE, a two-view (IB) model and a multi-view model apart", () => {
    expect(model(base("DiagNormal(linear(x))")).kind).toBe("vae");
    const ib =
      "data x : real[4]\ndata y : categorical[3]\nlatent z : real[2]\nprior p(z) = Normal(0, 1)\nencoder q(z | x) = DiagNormal(linear(x))\ndecoder p(y | z) = Categorical(linear(z))";
    expect(model(ib).kind).toBe("two_view");
    const multi =
      "data a : real[3]\ndata b : real[4]\nlatent z : real[2]\nprior p(z) = Normal(0, 1)\nencoder q(z | a, b) = DiagNormal(linear(concat(a, b)))\ndecoder p(a | z) = Normal(linear(z))\ndecoder p(b | z) = Normal(linear(z))";
    expect(model(multi).kind).toBe("multi_view");
  });
});
