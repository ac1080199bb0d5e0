// The intermediate representation: everything an engine needs to build and train a model, with
// nothing left to infer from a name — every learned tensor with its shape and initialisation,
// every distribution parameter with the transform that constrains it, every optimizer
// hyperparameter. Versioned; validated against schema.ts before it leaves the compiler and when a
// run is loaded.

export const IR_VERSION = 2;

/** A source position: 0-based offset, 1-based line and column. */
export interface Position {
  offset: number;
  line: number;
  col: number;
}

/** A half-open source range: `start` is the first character, `end` the one after the last. */
export interface Span {
  start: Position;
  end: Position;
}

export type Support = "real" | "binary" | "categorical";

export interface IrView {
  name: string;
  support: Support;
  /** Columns the view occupies in a batch (1 for a categorical label). */
  width: number;
  /** Number of classes, for categorical views. */
  categories?: number;
  span: Span;
}

export interface IrLatent {
  name: string;
  width: number;
  span: Span;
}

export type IrNode =
  | { id: string; op: "input"; of: string; width: number; span: Span }
  | {
      id: string;
      op: "dense";
      input: string;
      in: number;
      out: number;
      activation: string;
      /** y = x W + b: W is the tensor `kernel` [in, out], b the tensor `bias` [out]. */
      kernel: string;
      bias: string;
      name?: string;
      span: Span;
    }
  | {
      id: string;
      op: "concat";
      inputs: string[];
      out: number;
      name?: string;
      span: Span;
    };

/** How a learned tensor starts (the raw, unconstrained value). */
export type IrInit =
  /** U(low, high): dense layers as PyTorch's nn.Linear, U(−1/√in, 1/√in). */
  | { kind: "uniform"; low: number; high: number }
  /** N(mean, std²): mixture prior means, N(0, 1). */
  | { kind: "normal"; mean: number; std: number }
  | { kind: "constant"; value: number };

/** A learned tensor, named as in checkpoints: `n3.kernel`, `prior.z.loc`. */
export interface IrTensor {
  name: string;
  shape: number[];
  init: IrInit;
}

/**
 * How a raw value (network output columns or a learned tensor) becomes the parameter's
 * constrained value. Predicting log σ² (or an unconstrained softplus input) keeps a scale
 * positive; clipping keeps it finite, so the reparameterized sample z = μ + σ ⊙ ε stays usable.
 */
export type IrTransform =
  | { kind: "identity" }
  /** σ = clip(softplus(raw), min, max). */
  | { kind: "softplus"; min: number; max: number }
  /** σ = exp(½ · clip(raw, min, max)): raw is log σ² (a `logvar` head). */
  | { kind: "exp_half"; min: number; max: number }
  /**
   * A Cholesky factor packed as [log τ (d) | strictly-lower L′ (d(d−1)/2)], L = mask ⊙ L′ +
   * diag(τ) with τ = exp(clip(log τ, min, max)) > 0: Σ = L Lᵀ is positive definite.
   */
  | { kind: "cholesky"; min: number; max: number };

export type IrParam =
  /** Columns [offset, offset + width) of a network node's output, then `transform`. */
  | {
      kind: "net";
      node: string;
      offset: number;
      width: number;
      transform: IrTransform;
    }
  /** A constant, already the constrained value. */
  | { kind: "const"; value: number }
  /** The learned tensor `tensor` (a name in `parameters`), then `transform`. */
  | { kind: "learned"; tensor: string; transform: IrTransform };

export interface IrDist {
  /** Registry family (`diag_normal`), and the name the source used (`DiagNormal`). */
  family: string;
  name: string;
  params: Record<string, IrParam>;
  options: Record<string, string | number | number[]>;
  span: Span;
}

export interface IrComponent {
  /** The latent (prior, encoder) or view (decoder) this component is a distribution over. */
  target: string;
  /** Event size d the parameters are sized by: the latent's or view's width, or a categorical view's number of classes. */
  size: number;
  given: string[];
  dist: IrDist;
  span: Span;
}

export interface IrKl {
  latent: string;
  requested: "analytic" | "mc" | "auto";
  /** What the runtime computes: `auto` resolves to analytic when a closed form is registered. */
  method: "analytic" | "mc";
  samples: number;
  posterior: string;
  prior: string;
  span: Span;
}

export type IrBeta =
  | { schedule: "constant"; value: number; span: Span }
  | { schedule: "warmup"; from: number; to: number; epochs: number; span: Span }
  | {
      schedule: "cyclical";
      from: number;
      to: number;
      period: number;
      ramp: number;
      span: Span;
    };

export type IrSource =
  | {
      kind: "mnist";
      split: "train" | "test";
      binarize: "none" | "static" | "dynamic";
      span: Span;
    }
  | {
      kind: "idx";
      path: string;
      labels?: string;
      binarize: "none" | "static" | "dynamic";
      span: Span;
    }
  | { kind: "csv"; path: string; header: boolean; span: Span }
  | { kind: "npy"; path: string; span: Span };

export type IrSelect =
  | { kind: "all" }
  | { kind: "top_half" | "bottom_half" | "left_half" | "right_half" }
  | { kind: "columns"; from: number; to: number };

/** Where a view's values come from: a field of the train source (or of its own file), and a selection. */
export interface IrBinding {
  view: string;
  field: string;
  select: IrSelect;
  /** Present for paired files: the view is read from this source, row-aligned with the others. */
  file?: IrSource;
  span: Span;
}

/** The optimizer with every hyperparameter filled (defaults from src/ir/vocabulary.ts). */
export type IrOptimizer =
  | { name: "adam"; lr: number; beta1: number; beta2: number; eps: number }
  | { name: "sgd"; lr: number; momentum: number }
  | {
      name: "rmsprop";
      lr: number;
      decay: number;
      momentum: number;
      eps: number;
    };

export interface IrTrain {
  data: IrSource;
  test: IrSource | null;
  views: IrBinding[];
  optimizer: IrOptimizer;
  batch: number;
  epochs: number;
  seed: number;
  span: Span;
}

export type ModelKind = "vae" | "two_view" | "multi_view";

export interface IrModel {
  irVersion: typeof IR_VERSION;
  model: string;
  file: string;
  kind: ModelKind;
  views: IrView[];
  latents: IrLatent[];
  nodes: IrNode[];
  /**
   * Every learned tensor, in a fixed order: dense layers in node order (kernel, then bias), then
   * distribution parameters by component (priors, encoders, decoders), each in its params' order.
   */
  parameters: IrTensor[];
  priors: IrComponent[];
  encoders: IrComponent[];
  decoders: IrComponent[];
  kl: IrKl[];
  beta: IrBeta;
  train: IrTrain | null;
  span: Span;
}
