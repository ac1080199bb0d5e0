// The intermediate representation: everything the runtime needs to build and train a model.
// Versioned; validated against schema.ts before it leaves the compiler and when a run is loaded.
import type { Span } from "../span.js";

export const IR_VERSION = 1;

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

export type IrParam =
  /** Columns [offset, offset + width) of a network node's output. */
  | { kind: "net"; node: string; offset: number; width: number }
  | { kind: "const"; value: number }
  | { kind: "learned"; shape: "scalar" | "per_dim"; init: number };

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

export interface IrOptimizer {
  name: string;
  lr: number;
  [hyper: string]: string | number;
}

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
  priors: IrComponent[];
  encoders: IrComponent[];
  decoders: IrComponent[];
  kl: IrKl[];
  beta: IrBeta;
  train: IrTrain | null;
  span: Span;
}
