// The JSON Schema of the IR (version 2). Every IR is validated against it before it leaves the
// compiler and again when a run directory is loaded; validate.ts adds the cross-references.
import {
  component,
  componentDef,
  distDef,
  initDef,
  name,
  nodeId,
  obj,
  optimizerDef,
  paramDef,
  position,
  source,
  sourceDef,
  span,
  tensorDef,
  tensorName,
  transformDef,
  width,
} from "./schema-defs.js";
import { IR_VERSION } from "./types.js";
import { activations, binarizations, trainSettings } from "./vocabulary.js";

export const irSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: `https://vaec.dev/schema/ir-v${IR_VERSION}.json`,
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
    init: initDef,
    transform: transformDef,
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
      "parameters",
      "priors",
      "encoders",
      "decoders",
      "kl",
      "beta",
      "train",
      "span",
    ],
    {
      irVersion: { const: IR_VERSION },
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
            obj(
              [
                "id",
                "op",
                "input",
                "in",
                "out",
                "activation",
                "kernel",
                "bias",
                "span",
              ],
              {
                id: nodeId,
                op: { const: "dense" },
                input: nodeId,
                in: width,
                out: width,
                activation: { enum: ["linear", ...activations] },
                kernel: tensorName,
                bias: tensorName,
                name,
                span,
              },
            ),
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
      parameters: { type: "array", items: tensorDef },
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
          obj([...trainSettings, "span"], {
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
            optimizer: optimizerDef,
            batch: width,
            epochs: width,
            seed: { type: "integer", minimum: 0 },
            span,
          }),
        ],
      },
      span,
    },
  ),
} as const;
