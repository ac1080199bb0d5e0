// The distribution families of the language: each family's roles, supports, parameters, options
// and head layout, and how a parameter's raw value is constrained (its IR transform). The compiler
// binds calls against this registry; the runtime registers an implementation per family, and a
// test keeps the two in sync.
import type { IrInit, IrTransform, Support } from "./types.js";

export type Role = "prior" | "encoder" | "likelihood";
export type ParamKind = "net" | "const" | "learned";
export type DistOptions = Record<string, string | number | number[]>;

export interface ParamSpec {
  name: string;
  /** What the parameter may be bound to, per role. */
  kinds: Partial<Record<Role, ParamKind[]>>;
  /** Head width demanded of a network bound to this parameter, for a target of width d. */
  width: (d: number) => number;
  /**
   * A scale: constants must be > 0, and a network or learned value goes through a positive
   * transform (softplus, or exp(½·log σ²) for a `logvar` head).
   */
  positive?: boolean;
  /** A packed Cholesky factor [log τ | L′]: its log-diagonal is clipped to the `clamp` option. */
  cholesky?: boolean;
  /** Default shape of `learned` for this parameter in each role. */
  learnedShape?: Partial<Record<Role, "scalar" | "per_dim">>;
}

export interface OptionSpec {
  name: string;
  kind: "enum" | "int" | "interval";
  values?: string[];
  default?: string | number | [number, number];
  required?: boolean;
  min?: number;
}

export interface DistSpec {
  name: string;
  family: string;
  roles: Role[];
  /** Likelihood supports (data types the distribution models). */
  supports?: Support[];
  params: ParamSpec[];
  options: OptionSpec[];
  /** Positional arguments bind to these parameters in order. */
  positional: string[];
  /** One network split into these parameters, in this order (`DiagNormal(mlp(...))`). */
  fused?: string[];
  /**
   * Learned tensors the family always has, not bound from arguments (a mixture prior's weights,
   * means and scales), for event size d.
   */
  implicit?: (d: number, options: DistOptions) => ImplicitTensor[];
  hint?: string;
}

/** A learned tensor of a family's own: the parameter it is, its shape, raw init and transform. */
export interface ImplicitTensor {
  param: string;
  shape: number[];
  init: IrInit;
  transform: IrTransform;
}

/** Bounds on log σ² (and on log τ of a Cholesky factor) when a distribution has no `clamp` option. */
export const DEFAULT_CLAMP: readonly [number, number] = [-10, 10];

const identity: IrTransform = { kind: "identity" };

/**
 * softplus(raw) clipped to the σ range of log σ² ∈ [lo, hi]: σ ∈ [e^(lo/2), e^(hi/2)]. Bounds
 * past e^709 are kept finite (JSON has no ∞); a float32 holds nothing that large anyway.
 */
function softplusWithin([lo, hi]: readonly [number, number]): IrTransform {
  const bound = (logVar: number): number =>
    Math.min(Math.exp(logVar / 2), Number.MAX_VALUE);
  return { kind: "softplus", min: bound(lo), max: bound(hi) };
}

function clampOf(options: DistOptions): readonly [number, number] {
  const c = options["clamp"];
  return Array.isArray(c) && c.length === 2 ? [c[0]!, c[1]!] : DEFAULT_CLAMP;
}

/**
 * The transform of a network or learned parameter under the call's options: a scale through
 * softplus (clipped to [e^(lo/2), e^(hi/2)] for the clamp [lo, hi]) or, with `scale_head:
 * logvar`, σ = exp(½·clip(log σ², lo, hi)); a Cholesky factor with log τ clipped to the clamp;
 * anything else unchanged.
 */
export function paramTransform(
  param: ParamSpec,
  options: DistOptions,
): IrTransform {
  const clamp = clampOf(options);
  if (param.cholesky) return { kind: "cholesky", min: clamp[0], max: clamp[1] };
  if (!param.positive) return identity;
  return options["scale_head"] === "logvar"
    ? { kind: "exp_half", min: clamp[0], max: clamp[1] }
    : softplusWithin(clamp);
}

/**
 * The raw value whose transform is `value` (clipping aside): softplus⁻¹(σ) = log(e^σ − 1), and
 * log σ² = 2 log σ for an exp_half head. A learned scale initialised to 1 starts at raw
 * log(e − 1) ≈ 0.5413 under softplus and at 0 under exp_half.
 */
export function rawValue(t: IrTransform, value: number): number {
  if (t.kind === "softplus") {
    // log(e^σ − 1) overflows for σ ≳ 709; σ + log(1 − e^−σ) is the same value, and finite.
    const raw = Math.log(Math.expm1(value));
    return Number.isFinite(raw) ? raw : value + Math.log(-Math.expm1(-value));
  }
  if (t.kind === "exp_half") return 2 * Math.log(value);
  return value;
}

/**
 * A Gaussian mixture prior's K components (K = the `components` option): weights as logits
 * [1, K] starting uniform, means [K, d] drawn from N(0, 1) so the components start apart, and
 * scales [K, d] starting at σ = 1 through a clipped softplus.
 */
function mixtureTensors(d: number, options: DistOptions): ImplicitTensor[] {
  const k = options["components"] as number;
  const scale = softplusWithin(DEFAULT_CLAMP);
  return [
    {
      param: "logits",
      shape: [1, k],
      init: { kind: "constant", value: 0 },
      transform: identity,
    },
    {
      param: "loc",
      shape: [k, d],
      init: { kind: "normal", mean: 0, std: 1 },
      transform: identity,
    },
    {
      param: "scale",
      shape: [k, d],
      init: { kind: "constant", value: rawValue(scale, 1) },
      transform: scale,
    },
  ];
}

const same = (d: number) => d;
const scaleHead: OptionSpec = {
  name: "scale_head",
  kind: "enum",
  values: ["logvar", "softplus"],
};
const clamp: OptionSpec = {
  name: "clamp",
  kind: "interval",
  default: [...DEFAULT_CLAMP],
};
const loc: ParamSpec = {
  name: "loc",
  kinds: { prior: ["const", "learned"], likelihood: ["net"], encoder: ["net"] },
  width: same,
  learnedShape: { prior: "per_dim" },
};
const scale: ParamSpec = {
  name: "scale",
  kinds: {
    prior: ["const", "learned"],
    likelihood: ["const", "learned", "net"],
    encoder: ["net"],
  },
  width: same,
  positive: true,
  learnedShape: { prior: "per_dim", likelihood: "scalar" },
};
const logits: ParamSpec = {
  name: "logits",
  kinds: { likelihood: ["net"] },
  width: same,
};

export const distributions: readonly DistSpec[] = [
  {
    name: "Normal",
    family: "normal",
    roles: ["prior", "likelihood"],
    supports: ["real"],
    params: [loc, scale],
    options: [{ ...scaleHead, default: "softplus" }],
    positional: ["loc", "scale"],
    fused: ["loc", "scale"],
  },
  {
    name: "DiagNormal",
    family: "diag_normal",
    roles: ["encoder"],
    params: [loc, scale],
    options: [{ ...scaleHead, default: "logvar" }, clamp],
    positional: ["loc", "scale"],
    fused: ["loc", "scale"],
    hint: "for a learnable diagonal prior write `Normal(loc: learned, scale: learned)`",
  },
  {
    name: "FullNormal",
    family: "full_normal",
    roles: ["encoder"],
    params: [
      loc,
      // [log τ (d) | strictly lower L' (d(d-1)/2)]: L = mask ⊙ L' + diag(exp(log τ)).
      {
        name: "scale_tril",
        kinds: { encoder: ["net"] },
        width: (d) => (d * (d + 1)) / 2,
        cholesky: true,
      },
    ],
    options: [clamp],
    positional: ["loc", "scale_tril"],
    fused: ["loc", "scale_tril"],
  },
  {
    name: "GaussianMixture",
    family: "mixture_normal",
    roles: ["prior"],
    params: [],
    options: [{ name: "components", kind: "int", required: true, min: 1 }],
    positional: [],
    implicit: mixtureTensors,
  },
  {
    name: "Bernoulli",
    family: "bernoulli",
    roles: ["likelihood"],
    supports: ["binary"],
    params: [logits],
    options: [],
    positional: ["logits"],
  },
  {
    name: "ContinuousBernoulli",
    family: "continuous_bernoulli",
    roles: ["likelihood"],
    supports: ["binary"],
    params: [logits],
    options: [],
    positional: ["logits"],
  },
  {
    name: "Laplace",
    family: "laplace",
    roles: ["likelihood"],
    supports: ["real"],
    params: [loc, scale],
    options: [{ ...scaleHead, default: "softplus" }],
    positional: ["loc", "scale"],
    fused: ["loc", "scale"],
  },
  {
    name: "Categorical",
    family: "categorical",
    roles: ["likelihood"],
    supports: ["categorical"],
    params: [logits],
    options: [],
    positional: ["logits"],
  },
];

export const distributionNames = distributions.map((d) => d.name);

export function findDistribution(name: string): DistSpec | undefined {
  return distributions.find((d) => d.name === name);
}

export function findFamily(family: string): DistSpec | undefined {
  return distributions.find((d) => d.family === family);
}

export function familyName(family: string): string {
  return findFamily(family)?.name ?? family;
}
