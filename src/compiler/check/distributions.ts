// The compiler's distribution registry: each family's roles, supports, parameters and head layout.
// The runtime registers an implementation per family; a test keeps the two registries in sync.

export type Role = "prior" | "encoder" | "likelihood";
export type Support = "real" | "binary" | "categorical";
export type ParamKind = "net" | "const" | "learned";

export interface ParamSpec {
  name: string;
  /** What the parameter may be bound to, per role. */
  kinds: Partial<Record<Role, ParamKind[]>>;
  /** Head width demanded of a network bound to this parameter, for a target of width d. */
  width: (d: number) => number;
  /** Constants must be > 0 (scales). */
  positive?: boolean;
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
  hint?: string;
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
  default: [-10, 10],
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

export function familyName(family: string): string {
  return distributions.find((d) => d.family === family)?.name ?? family;
}

/**
 * Posterior ‖ prior pairs with a closed-form KL divergence (seed 000: closed-form Gaussian KL;
 * seed 001: Cholesky posteriors need only tr(Σ) = ‖L‖²_F and log det Σ = 2 Σ log diag L).
 */
export const closedFormKl: ReadonlyArray<readonly [string, string]> = [
  ["diag_normal", "normal"],
  ["full_normal", "normal"],
];

export function hasClosedFormKl(posterior: string, prior: string): boolean {
  return closedFormKl.some(([q, p]) => q === posterior && p === prior);
}
