// The JSON Schema of the IR (version 1). Every IR is validated against it before it leaves the
// compiler and again when a run directory is loaded.
import { distributions } from "../check/distributions.js";
import { activations, binarizations, optimizers } from "../check/vocabulary.js";

const position = {
  type: "object",
  required: ["offset", "line", "col"],
  additionalProperties: false,
  properties: {
    offset: { type: "integer", minimum: 0 },
    line: { type: "integer", minimum: 1 },
    col: { type: "integer", minimum: 1 },
  },
};
const span = { $ref: "#/$defs/span" };
const name = { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$" };
const width = { type: "integer", minimum: 1 };
const nodeId = { type: "string", pattern: "^n[0-9]+$" };
const num = { type: "number" };

function obj(
  required: string[],
  properties: Record<string, unknown>,
): Record<string, unknown> {
  return { type: "object", required, additionalProperties: false, properties };
}

const sourceDef = {
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

const paramDef = {
  oneOf: [
    obj(["kind", "node", "offset", "width"], {
      kind: { const: "net" },
      node: nodeId,
      offset: { type: "integer", minimum: 0 },
      width,
    }),
    obj(["kind", "value"], { kind: { const: "const" }, value: num }),
    obj(["kind", "shape", "init"], {
      kind: { const: "learned" },
      shape: { enum: ["scalar", "per_dim"] },
      init: num,
    }),
  ],
};

const distDef = obj(["family", "name", "params", "options", "span"], {
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

const componentDef = obj(["target", "given", "dist", "span"], {
  target: name,
  given: { type: "array", items: name },
  dist: { $ref: "#/$defs/dist" },
  span,
});
const component = { $ref: "#/$defs/component" };
const source = { $ref: "#/$defs/source" };

export const irSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://vaec.dev/schema/ir-v1.json",
  title: "vaec IR",
  $defs: {
    binarize: { enum: binarizations },
    position,
    span: {
      type: "object",
      required: ["start", "end"],
      additionalProperties: false,
      properties: {
        start: { $ref: "#/$defs/position" },
        end: { $ref: "#/$defs/position" },
      },
    },
    source: sourceDef,
    param: paramDef,
    dist: distDef,
    component: componentDef,
  },
  ...obj(
    [
      "irVersion",
      "model",
      "file",
      "kind",
      "views",
      "latents",
      "nodes",
      "priors",
      "encoders",
      "decoders",
      "kl",
      "beta",
      "train",
      "span",
    ],
    {
      irVersion: { const: 1 },
      model: name,
      file: { type: "string" },
      kind: { enum: ["vae", "two_view", "multi_view"] },
      views: {
        type: "array",
        minItems: 1,
        items: obj(["name", "support", "width", "span"], {
          name,
          support: { enum: ["real", "binary", "categorical"] },
          width,
          categories: { type: "integer", minimum: 2 },
          span,
        }),
      },
      latents: {
        type: "array",
        minItems: 1,
        items: obj(["name", "width", "span"], { name, width, span }),
      },
      nodes: {
        type: "array",
        items: {
          oneOf: [
            obj(["id", "op", "of", "width", "span"], {
              id: nodeId,
              op: { const: "input" },
              of: name,
              width,
              span,
            }),
            obj(["id", "op", "input", "in", "out", "activation", "span"], {
              id: nodeId,
              op: { const: "dense" },
              input: nodeId,
              in: width,
              out: width,
              activation: { enum: ["linear", ...activations] },
              name,
              span,
            }),
            obj(["id", "op", "inputs", "out", "span"], {
              id: nodeId,
              op: { const: "concat" },
              inputs: { type: "array", minItems: 1, items: nodeId },
              out: width,
              name,
              span,
            }),
          ],
        },
      },
      priors: { type: "array", items: component },
      encoders: { type: "array", items: component },
      decoders: { type: "array", minItems: 1, items: component },
      kl: {
        type: "array",
        items: obj(
          [
            "latent",
            "requested",
            "method",
            "samples",
            "posterior",
            "prior",
            "span",
          ],
          {
            latent: name,
            requested: { enum: ["analytic", "mc", "auto"] },
            method: { enum: ["analytic", "mc"] },
            samples: width,
            posterior: { type: "string" },
            prior: { type: "string" },
            span,
          },
        ),
      },
      beta: {
        oneOf: [
          obj(["schedule", "value", "span"], {
            schedule: { const: "constant" },
            value: { type: "number", exclusiveMinimum: 0 },
            span,
          }),
          obj(["schedule", "from", "to", "epochs", "span"], {
            schedule: { const: "warmup" },
            from: { type: "number", minimum: 0 },
            to: { type: "number", exclusiveMinimum: 0 },
            epochs: width,
            span,
          }),
          obj(["schedule", "from", "to", "period", "ramp", "span"], {
            schedule: { const: "cyclical" },
            from: { type: "number", minimum: 0 },
            to: { type: "number", exclusiveMinimum: 0 },
            period: width,
            ramp: { type: "number", exclusiveMinimum: 0, maximum: 1 },
            span,
          }),
        ],
      },
      train: {
        oneOf: [
          { type: "null" },
          obj(
            [
              "data",
              "test",
              "views",
              "optimizer",
              "batch",
              "epochs",
              "seed",
              "span",
            ],
            {
              data: source,
              test: { oneOf: [{ type: "null" }, source] },
              views: {
                type: "array",
                items: obj(["view", "field", "select", "span"], {
                  view: name,
                  field: name,
                  select: {
                    oneOf: [
                      obj(["kind"], {
                        kind: {
                          enum: [
                            "all",
                            "top_half",
                            "bottom_half",
                            "left_half",
                            "right_half",
                          ],
                        },
                      }),
                      obj(["kind", "from", "to"], {
                        kind: { const: "columns" },
                        from: { type: "integer", minimum: 0 },
                        to: width,
                      }),
                    ],
                  },
                  file: source,
                  span,
                }),
              },
              optimizer: {
                type: "object",
                required: ["name", "lr"],
                properties: {
                  name: { enum: optimizers.map((o) => o.name) },
                  lr: { type: "number", exclusiveMinimum: 0 },
                },
              },
              batch: width,
              epochs: width,
              seed: { type: "integer", minimum: 0 },
              span,
            },
          ),
        ],
      },
      span,
    },
  ),
} as const;
