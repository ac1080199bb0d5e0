// The cases of the autodiff agreement test (autodiff-agreement.test.ts): seeded parameters of
// every registered distribution family, and scalars f = Σ term ⊙ r (r seeded, so every entry of
// the term matters) of a family's logProb, mean, reparameterized draw, plain draw and Gaussian
// marginals, or of a closed-form KL between two families.
import { Builder, type Sym } from "../../../src/program/builder.js";
import {
  makeDistribution,
  type DistParams,
  type Distribution,
} from "../../../src/program/distributions/index.js";
import type { NdArray } from "../../../src/program/interpret.js";
import { klAnalytic } from "../../../src/program/kl.js";
import { packedTril } from "../../program/distributions/helpers.js";
import { size } from "../../program/helpers/arrays.js";
import { Rng, normals, uniforms } from "../../program/helpers/random.js";

/** The event size of every case (the number of classes for categorical). */
export const D = 3;

type Leaf = (name: string) => Sym;

export interface Host {
  shape: number[];
  data: Float32Array;
}
const host = (shape: number[], f: () => number): Host => ({
  shape,
  data: Float32Array.from({ length: size(shape) }, f),
});
/** The float32 host copy of a seeded float64 array. */
const f32 = (a: NdArray): Host => ({
  shape: a.shape,
  data: Float32Array.from(a.data),
});

/** Seeded parameters of `family` for batch B (a mixture is always a prior: batch 1) and width d. */
export function familyParams(
  family: string,
  rng: Rng,
  b: number,
): Record<string, Host> {
  const normal = (shape: number[], s = 1) => f32(normals(rng, shape, s));
  const positive = (shape: number[]) => f32(uniforms(rng, shape, 0.4, 1.6));
  switch (family) {
    case "normal":
    case "diag_normal":
    case "laplace":
      return { loc: normal([b, D]), scale: positive([b, D]) };
    case "full_normal": {
      const tril = f32(packedTril(rng, b, D)); // packed [τ (positive) | L′]
      return { loc: normal([b, D]), scale_tril: tril };
    }
    case "mixture_normal":
      return {
        logits: normal([1, 3]),
        loc: normal([3, D], 2),
        scale: positive([3, D]),
      };
    case "continuous_bernoulli": {
      // One logit inside the Taylor region |λ| < 0.1 of the normaliser and the mean.
      const logits = normal([b, D], 2);
      logits.data[0] = 0.05;
      return { logits };
    }
    case "bernoulli":
      return { logits: normal([b, D], 2) };
    case "categorical":
      // Spread 1, not 2: a saturated softmax (one class near 1) has gradients y ⊙ (r − Σ r y)
      // that cancel to ~e^{−Δλ} from O(1) terms, where float32 rounding is amplified.
      return { logits: normal([b, D]) };
    default:
      throw new Error(
        `no test parameters for family '${family}': add them here`,
      );
  }
}

/** Seeded data for logProb: grey levels on [0, 1], class indices, or reals. */
function dataFor(family: string, rng: Rng, rows: number): Host {
  if (family === "categorical")
    return host([rows, 1], () => Math.floor(rng.uniform() * D));
  if (family.endsWith("bernoulli")) return host([rows, D], () => rng.uniform());
  return host([rows, D], () => 1.5 * rng.normal());
}

export interface Case {
  params: Record<string, Host>;
  inputs: Record<string, Host>;
  /** The scalar f from the leaves by name. */
  f: (leaf: Leaf) => Sym;
  /** The term carries no gradient (a plain draw): both sides must be exactly 0. */
  zero?: boolean;
}

/** f = Σ term ⊙ r with a seeded r of the term's shape, fed as input "r". */
function weighted(
  rng: Rng,
  c: Omit<Case, "f">,
  shape: readonly number[],
  term: (leaf: Leaf) => Sym,
): Case {
  c.inputs["r"] = host([...shape], () => 2 * rng.uniform() - 1);
  return { ...c, f: (leaf) => term(leaf).mul(leaf("r")).sum() };
}

const dist = (
  family: string,
  prefix: string,
  params: Record<string, Host>,
  leaf: Leaf,
): Distribution => {
  const p: DistParams = {};
  for (const name of Object.keys(params)) p[name] = leaf(`${prefix}${name}`);
  return makeDistribution(family, p, D);
};

const prefixed = (
  prefix: string,
  params: Record<string, Host>,
): Record<string, Host> =>
  Object.fromEntries(
    Object.entries(params).map(([k, v]) => [`${prefix}${k}`, v]),
  );

/** Seeded noise for a draw of `rows` rows, as inputs noise0, noise1, …. */
function noiseFor(
  d: Distribution,
  rng: Rng,
  rows: number,
): Record<string, Host> {
  const draw = (kind: string) =>
    kind === "normal" ? () => rng.normal() : () => rng.uniform();
  return Object.fromEntries(
    d.noise(rows).map((s, i) => [`noise${i}`, host(s.shape, draw(s.kind))]),
  );
}

/** The cases of one family at parameter batch `batch`, with `rows` rows of data and draws. */
export function familyCases(
  family: string,
  batch: number,
  rows: number,
  seed: number,
): Record<string, Case> {
  const rng = new Rng(seed);
  const params = familyParams(family, rng, batch);
  const probe = new Builder();
  const shaped = dist(family, "", params, (n) =>
    probe.param(n, params[n]!.shape),
  );
  const noise = noiseFor(shaped, rng, rows);
  const d = (leaf: Leaf) => dist(family, "", params, leaf);
  const eps = (leaf: Leaf) => Object.keys(noise).map(leaf);
  const draws = [rows, shaped.width];
  const only = (inputs: Record<string, Host>) => ({
    params,
    inputs: { ...inputs },
  });
  const cases: Record<string, Case> = {
    logProb: weighted(
      rng,
      only({ x: dataFor(family, rng, rows) }),
      [rows],
      (l) => d(l).logProb(l("x")),
    ),
    mean: weighted(rng, only({}), shaped.mean().shape, (l) => d(l).mean()),
    sample: {
      ...weighted(rng, only(noise), draws, (l) => d(l).sample(eps(l))),
      zero: true,
    },
  };
  if (shaped.rsample)
    cases["rsample"] = weighted(rng, only(noise), draws, (l) =>
      d(l).rsample!(eps(l)),
    );
  if (shaped.gaussianMarginals)
    cases["marginal scale"] = weighted(
      rng,
      only({}),
      [shaped.batch, D],
      (l) => d(l).gaussianMarginals!().scale,
    );
  return cases;
}

/** KL(q ‖ p) in closed form: q at batch `batch`, p a prior (batch 1); parameters q/…, p/…. */
export function klCase(
  qFamily: string,
  pFamily: string,
  batch: number,
  seed: number,
): Case {
  const rng = new Rng(seed);
  const q = familyParams(qFamily, rng, batch);
  const p = familyParams(pFamily, rng, 1);
  const params = { ...prefixed("q/", q), ...prefixed("p/", p) };
  return weighted(rng, { params, inputs: {} }, [batch], (leaf) =>
    klAnalytic(dist(qFamily, "q/", q, leaf), dist(pFamily, "p/", p, leaf)),
  );
}
