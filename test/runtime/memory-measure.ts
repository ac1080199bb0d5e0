// Measuring what a model's passes really hold on the tfjs engine, for the memory estimate's test:
// tf.profile's peak bytes around each pass a command runs, in the command's steady state, on
// seeded generated data.
import * as tf from "@tensorflow/tfjs";
import { TfjsEngine } from "../../src/engines/tfjs/engine.js";
import type { IrModel } from "../../src/ir/types.js";
import { HostData } from "../../src/runtime/data/batches.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { ModelSession } from "../../src/runtime/model/session.js";
import { EVAL_CHUNK } from "../../src/runtime/train/held-out.js";

/** Examples of the generated data: a full evaluation chunk and a last, smaller one. */
export const EXAMPLES = EVAL_CHUNK + 200;

/** Seeded data that fits the model's views (a Lehmer generator: no tfjs, no global state). */
export function generatedData(ir: IrModel): HostData {
  let s = 1;
  const u = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
  const views = new Map(
    ir.views.map((v) => [
      v.name,
      Float32Array.from({ length: EXAMPLES * v.width }, () =>
        v.support === "categorical"
          ? Math.floor(u() * v.categories!)
          : v.support === "binary"
            ? Math.round(u())
            : u(),
      ),
    ]),
  );
  const dataset: Dataset = {
    n: EXAMPLES,
    views,
    widths: new Map(ir.views.map((v) => [v.name, v.width])),
    binarize: "none",
    dynamic: [],
    source: "generated",
  };
  return new HostData(dataset, ir.views);
}

/** Peak bytes of each pass, by the names the estimate gives them. */
export type Measured = Record<string, number>;

/** A pass a command runs: at full size, and at the size of a last, smaller batch or chunk. */
interface Pass {
  name: string;
  run: (s: ModelSession, full: boolean) => Promise<unknown>;
}

/**
 * The steady state of a command: every pass runs once at each size (so every program it
 * prepares holds its constants, and the optimizer its slots), then each full-size pass runs
 * again inside tf.profile. Peaks are above what existed before the session was created.
 */
async function measure(
  ir: IrModel,
  passes: readonly Pass[],
): Promise<Measured> {
  const before = tf.memory().numBytes;
  const session = ModelSession.create(ir, new TfjsEngine(), 0);
  const peaks: Measured = {};
  try {
    for (const p of passes)
      for (const full of [true, false]) await p.run(session, full);
    for (const p of passes) {
      const profile = await tf.profile(async () => {
        await p.run(session, true);
      });
      peaks[p.name] = profile.peakBytes - before;
    }
  } finally {
    session.dispose();
  }
  return peaks;
}

/** What `vae train` runs: steps of `batch` rows, an evaluation chunk, the pictures, 64 draws. */
export function measureTraining(ir: IrModel, batch: number): Promise<Measured> {
  const data = generatedData(ir);
  const order = data.order(0, 0, true);
  const [chunk, last] = [...data.chunks(EVAL_CHUNK)];
  const part = (full: boolean) => (full ? chunk! : last!);
  let step = 0;
  return measure(ir, [
    {
      name: "train",
      run: (s, full) =>
        s.trainStep(
          data.batch(order, step++ % 2, full ? batch : batch - 1, 1),
          1,
          1,
          1e-3,
        ),
    },
    { name: "eval", run: (s, full) => s.evalChunk(part(full), 3) },
    { name: "encode", run: (s, full) => s.encode(part(full)) },
    { name: "sample", run: (s) => s.priorSample(64, 3) },
  ]);
}

/**
 * What `vae eval` runs on a trained model's weights (no optimizer slots): an evaluation chunk,
 * importance sampling in passes of `rowsPerPass` rows, and a two-view model's predictive.
 */
export function measureEvaluation(
  ir: IrModel,
  rowsPerPass: number,
  samples: number,
): Promise<Measured> {
  const data = generatedData(ir);
  const [chunk, last] = [...data.chunks(EVAL_CHUNK)];
  const part = (full: boolean) => (full ? chunk! : last!);
  const times = (full: boolean): number =>
    Math.floor(rowsPerPass / (full ? EVAL_CHUNK : EXAMPLES - EVAL_CHUNK));
  const passes: Pass[] = [
    { name: "eval", run: (s, full) => s.evalChunk(part(full), 3) },
    {
      name: "importance",
      run: (s, full) => s.importance(part(full), times(full), 4),
    },
  ];
  if (ir.kind === "two_view")
    passes.push({
      name: "predictive",
      run: (s, full) => s.predictive(part(full), samples, 5),
    });
  return measure(ir, passes);
}
