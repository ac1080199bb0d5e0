// categorical on the program ops: values against the float64 log-softmax at the class index,
// the Gumbel-max draw (fixed-noise formula and class frequencies), and logProb gradients.
import { describe, expect, it } from "vitest";
import { makeDistribution } from "../../../src/program/distributions/index.js";
import { fill, nd } from "../helpers/arrays.js";
import { Rng, normals, uniforms } from "../helpers/random.js";
import {
  F64,
  checkGradients,
  drawn,
  evaluate,
  expectBuildError,
  expectClose,
  expectNoGradient,
  expectWithinSE,
  logProbAndMean,
  logProbLoss,
  sampleLoss,
  type Leaf,
} from "./helpers.js";
import { categoricalLogProb, logSoftmax, row } from "./reference.js";

const K = 4;
const dist = (leaf: Leaf, k = K) =>
  makeDistribution("categorical", { logits: leaf("logits") }, k);

describe("categorical", () => {
  it.each([
    { name: "decoder", rowsL: 3, rows: 3 },
    { name: "broadcast", rowsL: 1, rows: 5 },
    { name: "stacked rows", rowsL: 2, rows: 6 },
  ])(
    "logProb and mean match the float64 log-softmax: $name",
    ({ rowsL, rows }) => {
      const rng = new Rng(71);
      const feeds = {
        logits: normals(rng, [rowsL, K], 3),
        x: fill([rows, 1], (i) => (i * 3) % K),
      };
      const { lp, mean } = logProbAndMean(dist, feeds);
      const want = categoricalLogProb(feeds.logits, feeds.x);
      expectClose(lp.data, want, F64, "logProb");
      expect(mean.shape).toEqual([rowsL, K]);
      const probs = Array.from({ length: rowsL }, (_, r) =>
        logSoftmax(row(feeds.logits, r)).map(Math.exp),
      ).flat();
      expectClose(mean.data, probs, F64, "mean");
    },
  );

  it("sample is argmax(logits − log(−log u)) [rows, 1], without gradient or rsample", () => {
    const rng = new Rng(72);
    const feeds = {
      logits: normals(rng, [2, K]),
      u: uniforms(rng, [6, K]),
      r: normals(rng, [6, 1]),
    };
    const out = evaluate((leaf) => {
      const d = dist(leaf);
      expect(d.width).toBe(1);
      expect(d.rsample).toBeUndefined();
      expect(d.noise(6)).toEqual([{ kind: "uniform", shape: [6, K] }]);
      return { x: d.sample([leaf("u")]) };
    }, feeds);
    expect(out["x"]!.shape).toEqual([6, 1]);
    const want = Array.from({ length: 6 }, (_, r) => {
      const g = Array.from(
        { length: K },
        (_, k) =>
          feeds.logits.data[(r % 2) * K + k]! -
          Math.log(-Math.log(feeds.u.data[r * K + k]!)),
      );
      return g.indexOf(Math.max(...g));
    });
    expect([...out["x"]!.data]).toEqual(want);
    expectNoGradient(sampleLoss(dist, ["u"]), feeds, ["logits"]);
  });

  it("draws have class frequencies softmax(logits)", () => {
    // 20 000 draws: each class frequency within 5 √(π(1−π)/n) of π.
    const n = 20000;
    const rng = new Rng(73);
    const feeds = {
      logits: nd([1, K], [0.2, -1, 1.3, 0]),
      u: uniforms(rng, [n, K]),
    };
    const x = drawn(dist, feeds, ["u"]).data;
    const e = Array.from(feeds.logits.data, Math.exp);
    const z = e.reduce((a, b) => a + b, 0);
    e.forEach((v, k) => {
      const p = v / z;
      const f = x.filter((c) => c === k).length / n;
      expectWithinSE(f, p, Math.sqrt((p * (1 - p)) / n), `class ${k}`);
    });
  });

  it("logProb gradients match central differences", () => {
    const rng = new Rng(74);
    const feeds = {
      logits: normals(rng, [2, K]),
      x: nd([4, 1], [0, 3, 2, 1]),
      r: normals(rng, [4]),
    };
    checkGradients(logProbLoss(dist), feeds, ["logits"]);
  });

  it("refuses logits that do not have one column per class", () => {
    expectBuildError(
      (leaf) => dist(leaf, 5),
      { logits: fill([1, K], () => 0) },
      /logits has 4 columns, expected 5 classes/,
    );
  });
});
