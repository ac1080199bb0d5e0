// The identity of a run's IR: its content without what changes neither the model nor how it
// trains — source spans, the spec's file name as typed, and the number of epochs (which
// `--resume --epochs N` extends) — and the sha256 of that content as canonical JSON (keys sorted).
// Checkpoints and run.json carry the hash; loading a run compares it with model.json's.
import { createHash } from "node:crypto";

/** `doc` (an IR, or any JSON value) without `span` keys, top-level `file` and `train.epochs`. */
export function irIdentity(doc: unknown): unknown {
  const plain = JSON.parse(
    JSON.stringify(doc, (key, value: unknown) =>
      key === "span" ? undefined : value,
    ),
  ) as unknown;
  if (plain === null || typeof plain !== "object" || Array.isArray(plain))
    return plain;
  const { file: _file, ...rest } = plain as Record<string, unknown>;
  const train = rest["train"];
  if (train !== null && typeof train === "object" && !Array.isArray(train)) {
    const { epochs: _epochs, ...kept } = train as Record<string, unknown>;
    rest["train"] = kept;
  }
  return rest;
}

/** JSON with every object's keys sorted, so equal content always gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  );
}

export const sha256 = (data: string | Uint8Array): string =>
  createHash("sha256").update(data).digest("hex");

/** The hash that ties a checkpoint and a run.json to the model.json they belong to. */
export const irHash = (ir: unknown): string =>
  sha256(canonicalJson(irIdentity(ir)));
