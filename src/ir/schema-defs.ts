// The parts of the IR's JSON Schema (schema.ts puts them together): spans, sources, learned
// tensors with their inits, parameter transforms, distributions, components and optimizers.
import { distributions } from "./families.js";
import { optimizers, type ArgSpec } from "./vocabulary.js";

export const position = {
  type: "object",
  required: ["offset", "line", "col"],
  additionalProperties: false,
  properties: {
    offset: { type: "integer", minimum: 0 },
    line: { type: "integer", minimum: 1 },
    col: { type: "integer", minimum: 1 },
  },
};
export const span = { $ref: "#/$defs/span" };
export const name = { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$" };
export const width = { type: "integer", minimum: 1 };
export const nodeId = { type: "string", pattern: "^n[0-9]+$" };
const num = { type: "number" };
/** `n3.kernel`, `n3.bias`, or `role.target.param` of a distribution parameter. */
export const tensorName = {
  type: "string",
  pattern:
    "^(n[0-9]+\\.(kernel|bias)|(prior|encoder|decoder)\\.[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*)$",
};

export function obj(
  required: string[],
  properties: Record<string, unknown>,
): Record<string, unknown> {
  return { type: "object", required, additionalProperties: false, properties };
}

export const sourceDef = {
  oneOf: [
    obj(["kind", "split", "binarize", "span"], {
      kind: { const: "mnist" },
      split: { enum: ["train", "test"] },
      binarize: { $ref: "#/$defs/binarize" },
      span,
    }),
    obj(["kind", "path", "binarize", "span"], {
      kind: { const: "idx" },
      path: { type: "string" },
      labels: { type: "string" },
      binarize: { $ref: "#/$defs/binarize" },
      span,
    }),
    obj(["kind", "path", "header", "span"], {
      kind: { const: "csv" },
      path: { type: "string" },
      header: { type: "boolean" },
      span,
    }),
    obj(["kind", "path", "span"], {
      kind: { const: "npy" },
      path: { type: "string" },
      span,
    }),
  ],
};

export const initDef = {
  oneOf: [
    obj(["kind", "low", "high"], {
      kind: { const: "uniform" },
      low: num,
      high: num,
    }),
    obj(["kind", "mean", "std"], {
      kind: { const: "normal" },
      mean: num,
      std: { type: "number", exclusiveMinimum: 0 },
    }),
    obj(["kind", "value"], { kind: { const: "constant" }, value: num }),
  ],
};

const bounded = (kind: string, min: Record<string, unknown> = num) =>
  obj(["kind", "min", "max"], { kind: { const: kind }, min, max: num });
export const transformDef = {
  oneOf: [
    obj(["kind"], { kind: { const: "identity" } }),
    bounded("softplus", { type: "number", minimum: 0 }),
    bounded("exp_half"),
    bounded("cholesky"),
  ],
};
const transform = { $ref: "#/$defs/transform" };

export const tensorDef = obj(["name", "shape", "init"], {
  name: tensorName,
  shape: { type: "array", minItems: 1, maxItems: 2, items: width },
  init: { $ref: "#/$defs/init" },
});

export const paramDef = {
  oneOf: [
    obj(["kind", "node", "offset", "width", "transform"], {
      kind: { const: "net" },
      node: nodeId,
      offset: { type: "integer", minimum: 0 },
      width,
      transform,
    }),
    obj(["kind", "value"], { kind: { const: "const" }, value: num }),
    obj(["kind", "tensor", "transform"], {
      kind: { const: "learned" },
      tensor: tensorName,
      transform,
    }),
  ],
};

/** A hyperparameter's range, as the vocabulary states it. */
function hyperSchema(a: ArgSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { type: "number" };
  if (a.min !== undefined)
    out[a.exclusive ? "exclusiveMinimum" : "minimum"] = a.min;
  if (a.max !== undefined) out["maximum"] = a.max;
  return out;
}

/** One object per optimizer of the vocabulary, every hyperparameter required. */
export const optimizerDef = {
  oneOf: optimizers.map((o) =>
    obj(["name", ...o.args.map((a) => a.name)], {
      name: { const: o.name },
      ...Object.fromEntries(o.args.map((a) => [a.name, hyperSchema(a)])),
    }),
  ),
};

export const distDef = obj(["family", "name", "params", "options", "span"], {
  family: { enum: distributions.map((d) => d.family) },
  name,
  params: { type: "object", additionalProperties: { $ref: "#/$defs/param" } },
  options: {
    type: "object",
    additionalProperties: {
      anyOf: [{ type: "string" }, num, { type: "array", items: num }],
    },
  },
  span,
});

export const componentDef = obj(["target", "size", "given", "dist", "span"], {
  target: name,
  size: width,
  given: { type: "array", items: name },
  dist: { $ref: "#/$defs/dist" },
  span,
});
export const component = { $ref: "#/$defs/component" };
export const source = { $ref: "#/$defs/source" };
