// The program's reverse-mode AD (src/program/autodiff.ts) against tfjs's own autodiff, for every
// registered distribution family and every registered closed-form KL pair, on the cpu and wasm
// backends (the cases: agreement-cases.ts). Each case's gradient with respect to the parameters
// it reads is computed twice, both in float32 by the tfjs executor: tf.grads over a run of the
// forward program, and a run of the gradient program gradients(f, params).
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { TfjsProgram } from "../../../src/engines/tfjs/execute.js";
import { gradients } from "../../../src/program/autodiff.js";
import { Builder, type Sym } from "../../../src/program/builder.js";
import { registeredFamilies } from "../../../src/program/distributions/index.js";
import { registeredKlPairs } from "../../../src/program/kl.js";
import { initBackend } from "../../../src/runtime/backend.js";
import { familyCases, klCase, type Case } from "./agreement-cases.js";
import { upload } from "./helpers.js";

/**
 * Both sides are float32 and run the same forward ops; the gradients are built from the same
 * elementary derivatives and differ only in arrangement (the order of the sums that undo
 * broadcasts, tfjs's own gradients of logSumExp, softplus or where against the program's VJP
 * rules). Each float32 op rounds at 2⁻²⁴ ≈ 6e-8 relative and the longest backward chains here are
 * a few dozen ops, so they agree to ~1e-6 of the largest entry; 1e-5 leaves a margin, while a
 * wrong rule is off by O(1). The error is normwise, max|a − b| / max|b|, so that entries near 0
 * do not turn rounding into large relative errors.
 */
const TOL = 1e-5;
const TINY = 1e-30;

/** The forward program (output "f") and the gradient program (outputs d/<param>) of a case. */
function programs(c: Case) {
  const b = new Builder();
  const leaves = new Map<string, Sym>();
  for (const [n, h] of Object.entries(c.params))
    leaves.set(n, b.param(n, h.shape));
  for (const [n, h] of Object.entries(c.inputs))
    leaves.set(n, b.input(n, h.shape));
  const leaf = (n: string): Sym => {
    const s = leaves.get(n);
    if (s === undefined) throw new Error(`test leaf '${n}' is missing`);
    return s;
  };
  const f = c.f(leaf);
  expect(f.shape, "f is a scalar").toEqual([]);
  const forward = b.build({ f });
  // Only the parameters f reads: tf.grads refuses a wrt that does not lead to f.
  const names = forward.params.map((p) => p.name);
  const gs = gradients(f, names.map(leaf));
  const backward = b.build(
    Object.fromEntries(names.map((n, i) => [`d/${n}`, gs[i]!])),
  );
  return { forward, backward, names };
}

/** max|a − b| / max(max|b|, tiny), and max|b|. */
function normwise(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): { err: number; scale: number } {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return { err: diff / Math.max(scale, TINY), scale };
}

function agree(c: Case): void {
  const { forward, backward, names } = programs(c);
  expect(names.length, "f reads some parameter").toBeGreaterThan(0);
  const feeds = upload({ ...c.params, ...c.inputs });
  const fwd = new TfjsProgram(forward);
  const bwd = new TfjsProgram(backward);
  const before = tf.memory().numTensors;
  // tfjs's tape through every kernel of a run of the forward program.
  const run = (...ts: tf.Tensor[]): tf.Tensor => {
    const m = new Map(feeds);
    names.forEach((n, i) => m.set(n, ts[i]!));
    return fwd.run(m).get("f")!;
  };
  const taped = tf.grads(run)(names.map((n) => feeds.get(n)!));
  const theirs = taped.map((g) => g.dataSync().slice());
  tf.dispose(taped);
  const out = bwd.run(feeds);
  const ours = names.map((n) => out.get(`d/${n}`)!.dataSync().slice());
  tf.dispose([...out.values()]);
  expect(tf.memory().numTensors, "tensors left behind").toBe(before);
  names.forEach((n, i) => {
    expect(ours[i]!.length, `d/${n} size`).toBe(theirs[i]!.length);
    if (c.zero) {
      expect(
        [...ours[i]!, ...theirs[i]!].every((v) => v === 0),
        `d/${n} is 0`,
      ).toBe(true);
      return;
    }
    const { err, scale } = normwise(theirs[i]!, ours[i]!);
    expect(scale, `d/${n} is not 0`).toBeGreaterThan(1e-3);
    expect(err, `d/${n}: normwise error`).toBeLessThanOrEqual(TOL);
  });
  tf.dispose([...feeds.values()]);
  fwd.dispose();
  bwd.dispose();
}

/** Encoder-like parameters (batch 3) with 2 stacked draws, and prior-like ones (batch 1) over 4 rows. */
const CONFIGS = [
  { name: "batch 3, 6 stacked rows", batch: 3, rows: 6 },
  { name: "batch 1, 4 rows", batch: 1, rows: 4 },
];

for (const backend of ["cpu", "wasm"] as const) {
  describe(`tf.grads and the program's gradients agree on the ${backend} backend`, () => {
    beforeAll(async () => {
      expect(await initBackend(backend)).toBe(backend);
    });

    // The cases are built while collecting: a registered family without test parameters in
    // agreement-cases.ts fails the whole file there, naming the family.
    registeredFamilies().forEach((family, fi) => {
      describe(family, () => {
        CONFIGS.forEach((cfg, ci) => {
          const cases = familyCases(family, cfg.batch, cfg.rows, 100 * fi + ci);
          it.each(Object.keys(cases))(`%s, ${cfg.name}`, (term) =>
            agree(cases[term]!),
          );
        });
      });
    });

    registeredKlPairs().forEach(([q, p], ki) => {
      it.each(CONFIGS)(`KL(${q} ‖ ${p}), $name`, ({ batch }) =>
        agree(klCase(q, p, batch, 5000 + 10 * ki + batch)),
      );
    });
  });
}
