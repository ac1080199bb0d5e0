// Every value of a file the spec names is validated, read by a view or not: labels are class
// indices, other values finite reals, MNIST labels digits; `limit` hides no bad example.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadViews } from "../../../src/runtime/data/dataset.js";
import { LABEL_LIMIT } from "../../../src/runtime/data/idx.js";
import { checkMnist } from "../../../src/runtime/data/mnist.js";
import {
  bind,
  bytesOf,
  csv,
  dataErrorMessage,
  idx,
  idxBytes,
  npy,
  npyBytes,
  tempDir,
  train,
  view,
  type IdxType,
} from "./fixtures/write.js";

const opts = { seed: 0 };
const { dir, write } = tempDir();
let files = 0;

/** A bad label of each kind an IDX label type can hold, and whether it is an integer. */
const badLabel = fc.oneof(
  fc.record({
    type: fc.constantFrom<IdxType>("int8", "int16", "int32"),
    v: fc.integer({ min: -128, max: -1 }),
  }),
  fc.record({
    type: fc.constantFrom<IdxType>("int32", "float64"),
    v: fc.integer({ min: LABEL_LIMIT, max: 2 ** 31 - 1 }),
  }),
  fc.record({
    type: fc.constant<IdxType>("float64"),
    v: fc.constantFrom(2 ** 31, 2 ** 40, -(2 ** 33), 1e300),
  }),
  fc.record({
    type: fc.constantFrom<IdxType>("float32", "float64"),
    v: fc.constantFrom(0.5, 2.5, -0.25, 9.75, NaN, Infinity, -Infinity),
  }),
);

describe("IDX labels that feed no view", () => {
  it("are class indices in [0, 2^24): any other value is refused, naming file and example", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        badLabel,
        fc.nat(),
        fc.boolean(),
        (n, { type, v }, at, paired) => {
          const index = at % n;
          const labels = Array.from({ length: n }, (_, i) =>
            i === index ? v : i % 10,
          );
          const img = write(
            `i${files++}.idx`,
            idxBytes("uint8", [n, 2, 2], new Array(4 * n).fill(9)),
          );
          const lab = write(`l${files++}.idx`, idxBytes(type, [n], labels));
          // the labels are those of the data source, or of a paired file's source
          const t = paired
            ? train(idx(img), [
                bind("x", "image"),
                bind("y", "image", { kind: "all" }, idx(img, "none", lab)),
              ])
            : train(idx(img, "none", lab), [bind("x", "image")]);
          const views = paired
            ? [view("x", "real", 4), view("y", "real", 4)]
            : [view("x", "real", 4)];
          const stored = type === "float32" ? Math.fround(v) : v;
          expect(
            dataErrorMessage(() => loadViews(t, views, "data", dir, opts)),
          ).toBe(
            `${lab}: example ${index} (0-based): label is ${stored}, expected an integer class index in [0, 16777216)`,
          );
        },
      ),
      { seed: 21, numRuns: 300 },
    );
  });

  it("accept every class index a label type holds, and colour the plots with it", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<IdxType>("uint8", "int16", "int32", "float64"),
        fc.array(fc.integer({ min: 0, max: 255 }), {
          minLength: 1,
          maxLength: 12,
        }),
        (type, labels) => {
          const n = labels.length;
          const img = write(
            `i${files++}.idx`,
            idxBytes("uint8", [n, 2], new Array(2 * n).fill(0)),
          );
          const lab = write(`l${files++}.idx`, idxBytes(type, [n], labels));
          const t = train(idx(img, "none", lab), [bind("x", "image")]);
          const d = loadViews(t, [view("x", "real", 2)], "data", dir, opts);
          expect([...d.labels!]).toEqual(labels);
        },
      ),
      { seed: 22, numRuns: 100 },
    );
  });

  it("must be as many as the images, whichever file is longer", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        (n, m) => {
          if (n === m) return;
          const img = write(
            `i${files++}.idx`,
            idxBytes("uint8", [n, 1], new Array(n).fill(0)),
          );
          const lab = write(
            `l${files++}.idx`,
            idxBytes("uint8", [m], new Array(m).fill(1)),
          );
          const t = train(idx(img, "none", lab), [bind("x", "image")]);
          const [long, short] = m > n ? [lab, img] : [img, lab];
          expect(
            dataErrorMessage(() =>
              loadViews(t, [view("x", "real", 1)], "data", dir, opts),
            ),
          ).toBe(
            `${long}: example ${Math.min(n, m)} (0-based): no partner for this example: ${short} has ${Math.min(n, m)} examples, ${long} has ${Math.max(n, m)}; an IDX image file and its labels must hold the same number of examples`,
          );
        },
      ),
      { seed: 23, numRuns: 80 },
    );
  });
});

describe("MNIST labels", () => {
  const files = { images: "imgs", labels: "labs" };
  const images = (n: number) => ({
    n,
    width: 784,
    shape: [n, 28, 28],
    type: "uint8" as const,
    values: new Float32Array(0),
  });
  const labelsOf = (values: Int32Array) => ({
    n: values.length,
    width: 1 as const,
    shape: [values.length],
    type: "uint8" as const,
    values,
  });

  it("are digits 0..9: the first other value is refused, naming the file and example", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 9999 }),
        fc.oneof(
          fc.integer({ min: 10, max: 255 }),
          fc.integer({ min: -(2 ** 31), max: -1 }),
        ),
        (at, bad) => {
          const values = new Int32Array(10000).map((_, i) => i % 10);
          values[at] = bad;
          expect(
            dataErrorMessage(() =>
              checkMnist("test", images(10000), labelsOf(values), files),
            ),
          ).toBe(
            `labs: example ${at} (0-based): label is ${bad}, expected a digit class in 0..9`,
          );
        },
      ),
      { seed: 24, numRuns: 100 },
    );
  });

  it("are one per image of the split", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 70000 }),
        fc.constantFrom("train" as const, "test" as const),
        (m, split) => {
          const count = split === "train" ? 60000 : 10000;
          if (m === count) return;
          expect(
            dataErrorMessage(() =>
              checkMnist(
                split,
                images(count),
                labelsOf(new Int32Array(m)),
                files,
              ),
            ),
          ).toBe(
            `labs: header: ${m} labels, expected ${count} (MNIST ${split} labels, one per image)`,
          );
        },
      ),
      { seed: 25, numRuns: 40 },
    );
    expect(() =>
      checkMnist("test", images(10000), labelsOf(new Int32Array(10000)), files),
    ).not.toThrow();
  });
});

describe("values no view reads", () => {
  const nonFinite = fc.constantFrom(NaN, Infinity, -Infinity);

  it("must be finite reals in NPY files, naming file, example and value", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 2, max: 6 }),
        fc.nat(),
        nonFinite,
        fc.constantFrom("<f4", "<f8", "<f2"),
        (n, width, at, bad, descr) => {
          const cell = at % (n * width);
          const [i, c] = [Math.floor(cell / width), cell % width];
          const values = Array.from({ length: n * width }, (_, k) =>
            k === cell ? bad : k / 8,
          );
          const data =
            descr === "<f4"
              ? bytesOf(new Float32Array(values))
              : descr === "<f8"
                ? bytesOf(new Float64Array(values))
                : bytesOf(new Uint16Array(values.map(half)));
          const name = write(
            `u${files++}.npy`,
            npyBytes({ descr, shape: [n, width] }, data),
          );
          // the view reads column 0 only, unless the bad value is there: then the view says so
          const t = train(npy(name), [
            bind("x", "row", { kind: "columns", from: 0, to: 1 }),
          ]);
          const expected =
            c === 0
              ? "a finite real (view x : real[1])"
              : "a finite real (not read by any view)";
          expect(
            dataErrorMessage(() =>
              loadViews(t, [view("x", "real", 1)], "data", dir, opts),
            ),
          ).toBe(
            `${name}: example ${i} (0-based): value ${c} (0-based) is ${bad}, expected ${expected}`,
          );
        },
      ),
      { seed: 26, numRuns: 200 },
    );
  });

  it("must be finite in IDX images when only the labels are read", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        nonFinite,
        (n, at, bad) => {
          const cell = at % (n * 4);
          const pixels = Array.from({ length: n * 4 }, (_, k) =>
            k === cell ? bad : 0.5,
          );
          const img = write(
            `i${files++}.idx`,
            idxBytes("float32", [n, 2, 2], pixels),
          );
          const lab = write(
            `l${files++}.idx`,
            idxBytes("uint8", [n], new Array(n).fill(1)),
          );
          const t = train(idx(img, "none", lab), [bind("y", "label")]);
          const p = cell % 4;
          expect(
            dataErrorMessage(() =>
              loadViews(t, [view("y", "categorical", 1, 2)], "data", dir, opts),
            ),
          ).toBe(
            `${img}: example ${Math.floor(cell / 4)} (0-based): pixel ${p} (row ${p >> 1}, column ${p % 2}, 0-based) is ${bad}, expected a finite real (not read by any view)`,
          );
        },
      ),
      { seed: 27, numRuns: 100 },
    );
  });

  it("past `limit` are checked like the others", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 20 }), fc.nat(), (n, at) => {
        const bad = 1 + (at % (n - 1)); // a row past a limit of 1
        const rows = Array.from({ length: n }, (_, i) =>
          i === bad ? "0.5,7" : "0.5,1",
        );
        const name = write(`c${files++}.csv`, rows.join("\n"));
        const t = train(csv(name), [bind("x", "row")]);
        expect(
          dataErrorMessage(() =>
            loadViews(t, [view("x", "binary", 2)], "data", dir, {
              seed: 0,
              limit: 1,
            }),
          ),
        ).toBe(
          `${name}:${bad + 1}: column 2 is 7, expected a value in [0, 1] (view x : binary[2])`,
        );
      }),
      { seed: 28, numRuns: 60 },
    );
  });
});

/** The IEEE 754 half-precision bits of 0, ±Infinity, NaN and small multiples of 1/8. */
function half(v: number): number {
  if (Number.isNaN(v)) return 0x7e00;
  if (v === Infinity) return 0x7c00;
  if (v === -Infinity) return 0xfc00;
  const a = new Float32Array([v]);
  const bits = new Uint32Array(a.buffer)[0]!;
  if (v === 0) return 0;
  const exp = ((bits >> 23) & 0xff) - 127 + 15;
  return ((bits >> 16) & 0x8000) | (exp << 10) | ((bits >> 13) & 0x3ff);
}
