// Initial values of the learned tensors the IR lists, drawn on the host from the run's seed:
// each random tensor from its own generator seeded by its position, so a tensor's initial value
// does not depend on the engine or on the other tensors' sizes.
import type { IrModel } from "../../ir/types.js";
import type { HostTensor } from "../../engines/engine.js";
import { deriveSeed, Stream } from "../seeds.js";
import { SeededRandom } from "../random.js";

export function initialWeights(
  ir: IrModel,
  seed: number,
): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  let index = 0;
  for (const p of ir.parameters) {
    const data = new Float32Array(p.shape.reduce((a, b) => a * b, 1));
    const init = p.init;
    if (init.kind === "constant") data.fill(init.value);
    else {
      const rng = new SeededRandom(deriveSeed(seed, Stream.init, index++));
      for (let i = 0; i < data.length; i++)
        data[i] =
          init.kind === "uniform"
            ? init.low + (init.high - init.low) * rng.uniform()
            : init.mean + init.std * rng.normal();
    }
    out[p.name] = { shape: p.shape, data };
  }
  return out;
}
