// `npm run bench`: training examples/s of the reference model (784-400-20, Bernoulli logits,
// analytic KL, Adam 1e-3, batch 128, real MNIST) on every backend this machine can run.
// Each backend: a warm-up, then the median of 3 timed runs of full training steps.
import { readFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import * as tf from "@tensorflow/tfjs";
import { compile } from "../src/compiler/driver.js";
import { TfjsEngine } from "../src/engines/tfjs/engine.js";
import { availableBackends, initBackend } from "../src/runtime/backend.js";
import { HostData } from "../src/runtime/data/batches.js";
import { loadViews } from "../src/runtime/data/dataset.js";
import { ModelSession } from "../src/runtime/model/session.js";

const ir = compile(
  readFileSync("examples/mnist.vae", "utf8"),
  "examples/mnist.vae",
).models[0]!;
const dataset = loadViews(ir.train!, ir.views, "data", "examples", {
  seed: 0,
  limit: 128 * 100,
});
const STEPS: Record<string, number> = { wasm: 60, tensorflow: 60, cpu: 8 };

/** Full training steps as `vae train` runs them: host batch, noise, one program on the engine. */
async function measure(
  backend: "wasm" | "cpu" | "tensorflow",
): Promise<number> {
  await initBackend(backend);
  const data = new HostData(dataset, ir.views);
  const session = ModelSession.create(ir, new TfjsEngine(), 0);
  const order = data.order(0, 0, true);
  const step = async (i: number): Promise<void> => {
    const batch = data.batch(order, i % data.batchCount(128), 128);
    // Reads the statistics back, as training does.
    await session.trainStep(batch, i, 1, 1e-3);
  };
  const steps = STEPS[backend]!;
  for (let i = 0; i < Math.max(2, steps / 4); i++) await step(i);
  const rates: number[] = [];
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await step(i);
    rates.push((steps * 128) / ((performance.now() - t0) / 1000));
  }
  session.dispose();
  return rates.sort((a, b) => a - b)[1]!;
}

const cpu = os.cpus();
console.log(
  `machine: ${cpu.length} × ${cpu[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; node ${process.version}; tfjs ${tf.version.tfjs}`,
);
console.log("| backend | examples/s (median of 3) |\n|---|---|");
for (const backend of await availableBackends()) {
  console.log(`| ${backend} | ${Math.round(await measure(backend))} |`);
}
