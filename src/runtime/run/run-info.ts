// run.json: where a run came from and the configuration `--resume` keeps — the spec's path, the
// model, the hash of its IR, batch, seed, β override, data limit and backend — with its schema.
import { Ajv, type ValidateFunction } from "ajv";

export const RUN_INFO_FORMAT = 2;

/** The settings flags may override; the others a run takes from its spec. */
export type FlagName = "batch" | "seed" | "beta";

export interface RunInfo {
  format: typeof RUN_INFO_FORMAT;
  /** The spec's absolute path. */
  spec: string;
  model: string;
  /** irHash (ir-hash.ts) of the run's model.json. */
  irHash: string;
  batch: number;
  seed: number;
  /** The constant β that replaced the model's schedule (`vae sweep`), or null. */
  beta: number | null;
  /** Only the first `limit` examples of each split, or null for all. */
  limit: number | null;
  /** The backend the run started on. */
  backend: string;
  /** Which of batch, seed and beta flags set (the others came from the spec). */
  flags: FlagName[];
  /** Relative data paths resolve against this folder (the spec's). */
  baseDir: string;
  started: string;
}

const schema = {
  type: "object",
  additionalProperties: false,
  required: [
    "format",
    "spec",
    "model",
    "irHash",
    "batch",
    "seed",
    "beta",
    "limit",
    "backend",
    "flags",
    "baseDir",
    "started",
  ],
  properties: {
    format: { const: RUN_INFO_FORMAT },
    spec: { type: "string", minLength: 1 },
    model: { type: "string", minLength: 1 },
    irHash: { type: "string", pattern: "^[0-9a-f]{64}$" },
    batch: { type: "integer", minimum: 1 },
    seed: { type: "integer", minimum: 0 },
    beta: {
      anyOf: [{ type: "number", exclusiveMinimum: 0 }, { type: "null" }],
    },
    limit: { anyOf: [{ type: "integer", minimum: 1 }, { type: "null" }] },
    backend: { enum: ["wasm", "cpu", "tensorflow"] },
    flags: {
      type: "array",
      uniqueItems: true,
      items: { enum: ["batch", "seed", "beta"] },
    },
    baseDir: { type: "string", minLength: 1 },
    started: { type: "string" },
  },
};

let compiled: ValidateFunction | undefined;

/** What is wrong with `doc` as run.json content, in words; empty when it is valid. */
export function runInfoErrors(doc: unknown): string[] {
  compiled ??= new Ajv({ allErrors: true }).compile(schema);
  if (compiled(doc)) return [];
  return (compiled.errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || "run.json"} ${e.message ?? "is invalid"}`);
}
