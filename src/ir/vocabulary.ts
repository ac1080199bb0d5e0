// Names the language knows besides distributions: activations, networks, KL methods, schedules,
// optimizers (with their defaults: the IR states every hyperparameter), data sources and view
// selectors, with their signatures.
import type { IrOptimizer } from "./types.js";

export const activations = [
  "relu",
  "leaky_relu",
  "elu",
  "tanh",
  "sigmoid",
  "softplus",
] as const;
export type Activation = (typeof activations)[number];

export const networkFunctions = ["linear", "mlp", "dense", "concat"] as const;
export const klMethods = ["analytic", "auto", "mc"] as const;
export const betaSchedules = ["warmup", "cyclical"] as const;

export interface ArgSpec {
  name: string;
  kind: "number" | "int" | "string" | "enum" | "bool";
  values?: readonly string[];
  required?: boolean;
  default?: number | string | boolean;
  /** Inclusive minimum, or exclusive when `exclusive` is set. */
  min?: number;
  exclusive?: boolean;
  max?: number;
}

export interface CallSpec {
  name: string;
  args: ArgSpec[];
}

const positiveNumber = (name: string, dflt?: number): ArgSpec => ({
  name,
  kind: "number",
  min: 0,
  exclusive: true,
  ...(dflt === undefined ? { required: true } : { default: dflt }),
});

export interface OptimizerSpec extends CallSpec {
  name: IrOptimizer["name"];
}

export const optimizers: OptimizerSpec[] = [
  {
    name: "adam",
    args: [
      positiveNumber("lr", 1e-3),
      { name: "beta1", kind: "number", min: 0, max: 1, default: 0.9 },
      { name: "beta2", kind: "number", min: 0, max: 1, default: 0.999 },
      positiveNumber("eps", 1e-8),
    ],
  },
  {
    name: "sgd",
    args: [
      positiveNumber("lr"),
      { name: "momentum", kind: "number", min: 0, max: 1, default: 0 },
    ],
  },
  {
    name: "rmsprop",
    args: [
      positiveNumber("lr", 1e-3),
      { name: "decay", kind: "number", min: 0, max: 1, default: 0.9 },
      { name: "momentum", kind: "number", min: 0, max: 1, default: 0 },
      positiveNumber("eps", 1e-8),
    ],
  },
];

/** The optimizer a train block without `optimizer = ...` gets: Adam with every default. */
export function defaultOptimizer(): IrOptimizer {
  const adam = optimizers.find((o) => o.name === "adam")!;
  return {
    name: adam.name,
    ...Object.fromEntries(adam.args.map((a) => [a.name, a.default])),
  } as IrOptimizer;
}

export const binarizations = ["none", "static", "dynamic"] as const;

/** What a data source yields, when known at compile time (width undefined: known only at run time). */
export interface SourceField {
  name: string;
  /** `numeric`: numbers whose kind only the file knows (CSV, NPY); checked when loaded. */
  support: "real" | "categorical" | "numeric";
  width?: number;
  categories?: number;
  /** Image fields can be split into halves; side is the image's height and width. */
  image?: { height: number; width: number };
}

export interface SourceSpec extends CallSpec {
  fields: SourceField[];
  /** The field an unbound single view takes. */
  primary: string;
}

export const sources: SourceSpec[] = [
  {
    name: "mnist",
    args: [
      {
        name: "split",
        kind: "enum",
        values: ["train", "test"],
        default: "train",
      },
      {
        name: "binarize",
        kind: "enum",
        values: binarizations,
        default: "none",
      },
    ],
    fields: [
      {
        name: "image",
        support: "real",
        width: 784,
        image: { height: 28, width: 28 },
      },
      { name: "label", support: "categorical", categories: 10, width: 1 },
    ],
    primary: "image",
  },
  {
    name: "idx",
    args: [
      { name: "path", kind: "string", required: true },
      { name: "labels", kind: "string" },
      {
        name: "binarize",
        kind: "enum",
        values: binarizations,
        default: "none",
      },
    ],
    fields: [
      { name: "image", support: "real" },
      { name: "label", support: "categorical" },
    ],
    primary: "image",
  },
  {
    name: "csv",
    args: [
      { name: "path", kind: "string", required: true },
      { name: "header", kind: "bool", default: false },
    ],
    fields: [{ name: "row", support: "numeric" }],
    primary: "row",
  },
  {
    name: "npy",
    args: [{ name: "path", kind: "string", required: true }],
    fields: [{ name: "row", support: "numeric" }],
    primary: "row",
  },
];

export const viewSelectors = [
  "top_half",
  "bottom_half",
  "left_half",
  "right_half",
  "columns",
] as const;

export const trainSettings = [
  "data",
  "test",
  "views",
  "optimizer",
  "batch",
  "epochs",
  "seed",
] as const;
