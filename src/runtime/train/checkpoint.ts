// Checkpoints: one file, written atomically at the end of every epoch, holding the variables, the
// optimizer's state and the metrics so far — everything `--resume` needs to continue exactly.
// Layout: "VAECKPT1", u32 header length (little endian), header JSON, float32 values.
import { existsSync, readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { IoError, writeAtomic } from "../io/files.js";
import type { TrainOptimizer } from "./optimizers.js";

const MAGIC = "VAECKPT1";

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

interface Entry {
  name: string;
  shape: number[];
}

interface Header {
  format: 1;
  /** Epochs completed. */
  epoch: number;
  variables: Entry[];
  optimizer: Entry[];
  metrics: MetricsRow[];
}

export interface Checkpoint {
  epoch: number;
  variables: Map<string, tf.Tensor>;
  optimizer: Array<{ name: string; tensor: tf.Tensor }>;
  metrics: MetricsRow[];
}

export async function saveCheckpoint(
  path: string,
  epoch: number,
  variables: Map<string, tf.Variable>,
  optimizer: TrainOptimizer,
  metrics: MetricsRow[],
): Promise<void> {
  const opt = await optimizer.state();
  const tensors: Array<[string, tf.Tensor]> = [...variables].map(([k, v]) => [
    k,
    v,
  ]);
  const header: Header = {
    format: 1,
    epoch,
    variables: tensors.map(([name, t]) => ({ name, shape: t.shape })),
    optimizer: opt.map((w) => ({ name: w.name, shape: w.tensor.shape })),
    metrics,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const values = [
    ...tensors.map(([, t]) => t),
    ...opt.map((w) => w.tensor),
  ].map((t) => t.dataSync() as Float32Array);
  const floats = values.reduce((s, v) => s + v.length, 0);
  const bytes = new Uint8Array(MAGIC.length + 4 + json.length + floats * 4);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(MAGIC.length, json.length, true);
  bytes.set(json, MAGIC.length + 4);
  let offset = MAGIC.length + 4 + json.length;
  const view = new DataView(bytes.buffer);
  for (const v of values) {
    for (let i = 0; i < v.length; i++)
      view.setFloat32(offset + 4 * i, v[i]!, true);
    offset += 4 * v.length;
  }
  tf.dispose(opt.map((o) => o.tensor));
  tf.dispose(opt.map((o) => o.tensor));
  writeAtomic(path, bytes);
}

export function loadCheckpoint(path: string): Checkpoint {
  if (!existsSync(path)) throw new IoError(`no checkpoint at ${path}`);
  const bytes = readFileSync(path);
  const corrupt = (why: string): IoError =>
    new IoError(`checkpoint ${path} is corrupt: ${why}`);
  if (
    bytes.length < MAGIC.length + 4 ||
    bytes.subarray(0, MAGIC.length).toString("latin1") !== MAGIC
  )
    throw corrupt("bad magic");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(MAGIC.length, true);
  let header: Header;
  try {
    header = JSON.parse(
      bytes
        .subarray(MAGIC.length + 4, MAGIC.length + 4 + length)
        .toString("utf8"),
    ) as Header;
  } catch {
    throw corrupt("unreadable header");
  }
  let offset = MAGIC.length + 4 + length;
  const read = (e: Entry): tf.Tensor => {
    const size = e.shape.reduce((a, b) => a * b, 1);
    if (offset + 4 * size > bytes.length)
      throw corrupt(`truncated in ${e.name}`);
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++)
      values[i] = view.getFloat32(offset + 4 * i, true);
    offset += 4 * size;
    return tf.tensor(values, e.shape);
  };
  const variables = new Map(
    header.variables.map((e) => [e.name, read(e)] as const),
  );
  const optimizer = header.optimizer.map((e) => ({
    name: e.name,
    tensor: read(e),
  }));
  if (offset !== bytes.length) throw corrupt("trailing bytes");
  return { epoch: header.epoch, variables, optimizer, metrics: header.metrics };
}
