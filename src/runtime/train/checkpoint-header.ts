// The JSON header of a checkpoint file and its validation (ajv): what each field must be, and the
// consistency checks a schema cannot express (unique names, one metrics row per epoch done).
import { Ajv, type ValidateFunction } from "ajv";

export interface MetricsRow {
  epoch: number;
  loss: number;
  recon: number;
  kl: number;
  beta: number;
  test_elbo: number | null;
  /** Models with categorical decoders: accuracy on the test split, one posterior sample. */
  test_accuracy?: Record<string, number>;
  seconds: number;
  examples_per_sec: number;
}

/** One saved tensor: its name and shape; its float32 values follow the header in order. */
export interface Entry {
  name: string;
  shape: number[];
}

export const CHECKPOINT_FORMAT = 2;

export interface Header {
  format: typeof CHECKPOINT_FORMAT;
  /** Epochs completed. */
  epoch: number;
  /** irHash of the model the weights belong to (see ir-hash.ts). */
  irHash: string;
  /** sha256 of the run's run.json content (canonical JSON), or null for a run without one. */
  runHash: string | null;
  variables: Entry[];
  optimizer: Entry[];
  metrics: MetricsRow[];
}

const hash = { type: "string", pattern: "^[0-9a-f]{64}$" };
const entry = {
  type: "object",
  additionalProperties: false,
  required: ["name", "shape"],
  properties: {
    name: { type: "string", minLength: 1 },
    shape: {
      type: "array",
      maxItems: 8,
      items: { type: "integer", minimum: 0, maximum: 2 ** 31 - 1 },
    },
  },
};
// JSON has no infinity: JSON.stringify writes a non-finite timing or test ELBO as null.
const numberOrNull = { type: ["number", "null"] };
const metricsRow = {
  type: "object",
  additionalProperties: false,
  required: ["epoch", "loss", "recon", "kl", "beta", "test_elbo"],
  properties: {
    epoch: { type: "integer", minimum: 1 },
    loss: { type: "number" },
    recon: { type: "number" },
    kl: { type: "number" },
    beta: { type: "number" },
    test_elbo: numberOrNull,
    test_accuracy: {
      type: "object",
      additionalProperties: { type: "number" },
    },
    seconds: numberOrNull,
    examples_per_sec: numberOrNull,
  },
};
const headerSchema = {
  type: "object",
  additionalProperties: false,
  required: [
    "format",
    "epoch",
    "irHash",
    "runHash",
    "variables",
    "optimizer",
    "metrics",
  ],
  properties: {
    format: { const: CHECKPOINT_FORMAT },
    epoch: { type: "integer", minimum: 0 },
    irHash: hash,
    runHash: { anyOf: [hash, { type: "null" }] },
    variables: { type: "array", items: entry },
    optimizer: { type: "array", items: entry },
    metrics: { type: "array", items: metricsRow },
  },
};

let compiled: ValidateFunction | undefined;

/** What is wrong with `doc` as a checkpoint header, in words; empty when it is valid. */
export function headerErrors(doc: unknown): string[] {
  compiled ??= new Ajv({ allErrors: true, allowUnionTypes: true }).compile(
    headerSchema,
  );
  if (!compiled(doc))
    return (compiled.errors ?? [])
      .slice(0, 3)
      .map((e) => `${e.instancePath || "header"} ${e.message ?? "is invalid"}`);
  const header = doc as Header;
  const errors: string[] = [];
  for (const list of ["variables", "optimizer"] as const) {
    const names = header[list].map((e) => e.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice !== undefined) errors.push(`${list} names ${twice} twice`);
  }
  if (header.metrics.length !== header.epoch)
    errors.push(
      `${header.metrics.length} metrics rows for ${header.epoch} epochs`,
    );
  const misnumbered = header.metrics.findIndex((r, i) => r.epoch !== i + 1);
  if (misnumbered >= 0)
    errors.push(`metrics row ${misnumbered + 1} is numbered otherwise`);
  return errors;
}
