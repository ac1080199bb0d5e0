// Checkpoints: one file, written atomically at the end of every epoch, holding the variables, the
// optimizer's state and the metrics so far — everything `--resume` needs to continue exactly.
// Layout: "VAECKPT2", u32 header length (little endian), header JSON (checkpoint-header.ts),
// float32 values (little endian) in header order, then the sha256 of everything before it.
// Decoding trusts nothing: magic, checksum, header, sizes and finiteness are checked, and every
// failure is an IoError naming the file and what is wrong.
import { createHash } from "node:crypto";
import { IoError } from "../io/files.js";
import {
  CHECKPOINT_FORMAT,
  headerErrors,
  type Entry,
  type Header,
  type MetricsRow,
} from "./checkpoint-header.js";
import type { ModelSession } from "../model/session.js";

export type { MetricsRow } from "./checkpoint-header.js";

const MAGIC = "VAECKPT2";
const OLD_MAGIC = "VAECKPT1";
const DIGEST_BYTES = 32;
const PREFIX = MAGIC.length + 4;

/** A saved tensor: name, shape and values. */
export interface SavedTensor extends Entry {
  values: Float32Array;
}

export interface Checkpoint {
  epoch: number;
  irHash: string;
  runHash: string | null;
  variables: SavedTensor[];
  optimizer: SavedTensor[];
  metrics: MetricsRow[];
}

/** A tensor about to be saved holds a NaN or an infinity; nothing was written. */
export class NonFiniteTensorError extends Error {
  constructor(readonly tensor: string) {
    super(`${tensor} holds a non-finite value`);
  }
}

const digest = (bytes: Uint8Array): Buffer =>
  createHash("sha256").update(bytes).digest();

/** The bytes of a checkpoint file. Throws NonFiniteTensorError rather than save a NaN. */
export function encodeCheckpoint(ckpt: Checkpoint): Uint8Array {
  const tensors = [...ckpt.variables, ...ckpt.optimizer];
  for (const t of tensors)
    if (!t.values.every(Number.isFinite))
      throw new NonFiniteTensorError(t.name);
  const header: Header = {
    format: CHECKPOINT_FORMAT,
    epoch: ckpt.epoch,
    irHash: ckpt.irHash,
    runHash: ckpt.runHash,
    variables: ckpt.variables.map(({ name, shape }) => ({ name, shape })),
    optimizer: ckpt.optimizer.map(({ name, shape }) => ({ name, shape })),
    metrics: ckpt.metrics,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const floats = tensors.reduce((s, t) => s + t.values.length, 0);
  const body = PREFIX + json.length + 4 * floats;
  const bytes = new Uint8Array(body + DIGEST_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(MAGIC.length, json.length, true);
  bytes.set(json, PREFIX);
  let offset = PREFIX + json.length;
  for (const t of tensors) {
    for (let i = 0; i < t.values.length; i++)
      view.setFloat32(offset + 4 * i, t.values[i]!, true);
    offset += 4 * t.values.length;
  }
  bytes.set(digest(bytes.subarray(0, body)), body);
  return bytes;
}

/** The checkpoint in `bytes` (read from `path`, which messages name), verified. */
export function decodeCheckpoint(bytes: Uint8Array, path: string): Checkpoint {
  const bad = (why: string): IoError =>
    new IoError(`${path} is not a usable checkpoint: ${why}`);
  const magic = Buffer.from(bytes.subarray(0, MAGIC.length)).toString("latin1");
  if (magic === OLD_MAGIC)
    throw bad(
      "it was written by an older vaec (format 1, without checksum or model hash); train the run again",
    );
  if (magic !== MAGIC) throw bad("it does not start with VAECKPT2");
  if (bytes.length < PREFIX + DIGEST_BYTES) throw bad("it is truncated");
  const body = bytes.length - DIGEST_BYTES;
  if (!digest(bytes.subarray(0, body)).equals(bytes.subarray(body)))
    throw bad(
      "its checksum does not match: the file was truncated or modified",
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(MAGIC.length, true);
  if (PREFIX + length > body) throw bad("its header length exceeds the file");
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(
        bytes.subarray(PREFIX, PREFIX + length),
      ),
    );
  } catch {
    throw bad("its header is not JSON");
  }
  const errors = headerErrors(header);
  if (errors.length > 0) throw bad(`header: ${errors.join("; ")}`);
  const h = header as Header;
  const entries = [...h.variables, ...h.optimizer];
  const sizes = entries.map((e) => e.shape.reduce((a, b) => a * b, 1));
  const floats = sizes.reduce((a, b) => a + b, 0);
  if (PREFIX + length + 4 * floats !== body)
    throw bad(
      `its header describes ${floats} values but the file holds ${(body - PREFIX - length) / 4}`,
    );
  let offset = PREFIX + length;
  const saved = entries.map((e, k): SavedTensor => {
    const values = new Float32Array(sizes[k]!);
    for (let i = 0; i < values.length; i++) {
      values[i] = view.getFloat32(offset + 4 * i, true);
      if (!Number.isFinite(values[i]!))
        throw bad(
          `${e.name} holds a non-finite value (training never saves one: the file was altered)`,
        );
    }
    offset += 4 * values.length;
    return { name: e.name, shape: e.shape, values };
  });
  return {
    epoch: h.epoch,
    irHash: h.irHash,
    runHash: h.runHash,
    variables: saved.slice(0, h.variables.length),
    optimizer: saved.slice(h.variables.length),
    metrics: h.metrics,
  };
}

/** Checks saved tensors against the expected names and shapes: all there, exact, no extras. */
function checkSaved(
  saved: readonly SavedTensor[],
  expected: ReadonlyArray<{ name: string; shape: readonly number[] }>,
  path: string,
  what: string,
): void {
  const byName = new Map(saved.map((t) => [t.name, t]));
  for (const e of expected) {
    const t = byName.get(e.name);
    if (!t) throw new IoError(`${path} has no ${what} for ${e.name}`);
    if (t.shape.join() !== e.shape.join())
      throw new IoError(
        `${path}: ${e.name} has shape [${t.shape.join(", ")}] but the model needs [${e.shape.join(", ")}]`,
      );
  }
  const known = new Set(expected.map((e) => e.name));
  const extra = saved.find((t) => !known.has(t.name));
  if (extra)
    throw new IoError(
      `${path} holds ${what} for ${extra.name}, which the model does not have`,
    );
}

/**
 * Loads a checkpoint's weights (and, for resuming, its optimizer state) into a session, after
 * checking every name and shape against the model: the one way a checkpoint reaches an engine.
 */
export function restoreSession(
  session: ModelSession,
  ckpt: Checkpoint,
  path: string,
  options: { optimizer: boolean },
): void {
  checkSaved(ckpt.variables, session.ir.parameters, path, "weights");
  session.setWeights(ckpt.variables);
  if (!options.optimizer || ckpt.optimizer.length === 0) return;
  const expected = session.optimizerState();
  checkSaved(ckpt.optimizer, expected, path, "optimizer state");
  session.setOptimizerState(ckpt.optimizer);
}
