// Size limits (shrunk by the tests): too many values, too long a CSV line, and headers declaring
// more than the file holds are refused before anything is allocated; chunked binary reads are exact.
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadViews } from "../../../src/runtime/data/dataset.js";
import { parseCsv, readCsv } from "../../../src/runtime/data/csv.js";
import {
  parseIdx,
  parseIdxLabels,
  readIdx,
  readIdxLabels,
} from "../../../src/runtime/data/idx.js";
import {
  NPY_MAX_HEADER_BYTES,
  parseNpy,
  readNpy,
} from "../../../src/runtime/data/npy.js";
import { DATA_LIMITS } from "../../../src/runtime/data/open.js";
import {
  bind,
  bytesOf,
  csv,
  dataErrorMessage,
  idxBytes,
  npy,
  npyBytes,
  tempDir,
  train,
  view,
  type IdxType,
} from "./fixtures/write.js";

const { dir, write } = tempDir();
let files = 0;
const chunk = fc.constantFrom(1, 2, 3, 7, 64);

describe("the documented limits", () => {
  it("are 2^29 values (2 GiB of float32) per file, 64 Mi characters per line, 1 MiB reads", () => {
    expect(DATA_LIMITS).toEqual({
      maxValues: 536870912,
      maxLineChars: 67108864,
      chunkBytes: 1048576,
    });
  });
});

describe("CSV limits", () => {
  it("refuses the first line longer than maxLineChars, in any chunk size", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 30 }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.integer({ min: 1, max: 25 }),
        chunk,
        (widths, maxLineChars, chunkBytes) => {
          const lines = widths.map((w) => "1".padEnd(w, " "));
          const name = write(`l${files++}.csv`, lines.join("\r\n"));
          const read = () =>
            readCsv(join(dir, name), name, {
              header: false,
              limits: { maxLineChars, chunkBytes },
            });
          const long = lines.findIndex((l) => l.length > maxLineChars);
          if (long < 0) expect(read().n).toBe(lines.length);
          else
            expect(dataErrorMessage(read)).toBe(
              `${name}:${long + 1}: the line is longer than ${maxLineChars} characters, the most a CSV line may hold`,
            );
        },
      ),
      { seed: 1, numRuns: 200 },
    );
  });

  it("refuses more than maxValues values at the row that passes it, with an estimate", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 60 }),
        chunk,
        (width, rows, maxValues, chunkBytes) => {
          const text = Array(rows)
            .fill(Array(width).fill("0.5").join(","))
            .join("\n");
          const name = write(`v${files++}.csv`, `${text}\n`);
          const limits = { maxValues, chunkBytes };
          const read = () =>
            readCsv(join(dir, name), name, { header: false, limits });
          const whole = () => parseCsv(text, name, { header: false, limits });
          const over = Math.floor(maxValues / width) + 1; // the 1-based row that passes the limit
          if (over > rows) {
            expect(read().values.length).toBe(rows * width);
            return;
          }
          const head = `${name}:${over}: more than ${maxValues} values by this line`;
          expect(dataErrorMessage(whole)).toMatch(
            new RegExp(`^${escape(head)}, the most one data file may hold \\(`),
          );
          const m = dataErrorMessage(read);
          expect(m.startsWith(`${head} (about `)).toBe(true);
          // the estimate extrapolates from the bytes up to that line: exact for equal rows
          const estimate = Number(/\(about (\d+) in all/.exec(m)![1]);
          expect(estimate).toBe(rows * width);
        },
      ),
      { seed: 2, numRuns: 200 },
    );
  });

  it("passes the limits through loadViews", () => {
    write("big.csv", "1,2\n3,4\n5,6\n");
    const t = train(csv("big.csv"), [bind("x", "row")]);
    expect(
      dataErrorMessage(() =>
        loadViews(t, [view("x", "real", 2)], "data", dir, {
          seed: 0,
          limits: { maxValues: 5 },
        }),
      ),
    ).toMatch(/^big\.csv:3: more than 5 values by this line \(about 6 in all/);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const DTYPES: {
  descr: string;
  make: (v: number[]) => ArrayBufferView;
  idx: IdxType;
}[] = [
  { descr: "<f4", make: (v) => new Float32Array(v), idx: "float32" },
  { descr: "<f8", make: (v) => new Float64Array(v), idx: "float64" },
  { descr: "<i2", make: (v) => new Int16Array(v), idx: "int16" },
  { descr: "<i4", make: (v) => new Int32Array(v), idx: "int32" },
  { descr: "|u1", make: (v) => new Uint8Array(v), idx: "uint8" },
  { descr: "|i1", make: (v) => new Int8Array(v), idx: "int8" },
];

const arrays = fc.record({
  dtype: fc.constantFrom(...DTYPES),
  n: fc.integer({ min: 1, max: 9 }),
  width: fc.integer({ min: 1, max: 7 }),
  seed: fc.integer({ min: 0, max: 1000 }),
});
const valuesOf = (count: number, seed: number) =>
  Array.from({ length: count }, (_, i) => ((i * 37 + seed) % 200) - 100);

describe("NPY and IDX limits", () => {
  it("read in chunks of any size exactly like the bytes in memory", () => {
    fc.assert(
      fc.property(arrays, chunk, ({ dtype, n, width, seed }, chunkBytes) => {
        const raw = valuesOf(n * width, seed).map((v) =>
          dtype.idx === "uint8" ? v + 100 : v,
        );
        const np = write(
          `a${files++}.npy`,
          npyBytes(
            { descr: dtype.descr, shape: [n, width] },
            bytesOf(dtype.make(raw)),
          ),
        );
        const ix = write(
          `a${files++}.idx`,
          idxBytes(dtype.idx, [n, width], raw),
        );
        const lb = write(
          `l${files++}.idx`,
          idxBytes(dtype.idx, [n * width], raw.map(Math.abs)),
        );
        const limits = { chunkBytes };
        const a = readNpy(join(dir, np), np, limits);
        expect([...a.values]).toEqual([
          ...parseNpy(
            npyBytes(
              { descr: dtype.descr, shape: [n, width] },
              bytesOf(dtype.make(raw)),
            ),
            np,
          ).values,
        ]);
        expect([...a.values]).toEqual(raw.map((v) => Math.fround(v)));
        const b = readIdx(join(dir, ix), ix, limits);
        expect([...b.values]).toEqual(
          raw.map((v) => Math.fround(dtype.idx === "uint8" ? v / 255 : v)),
        );
        expect([...readIdxLabels(join(dir, lb), lb, limits).values]).toEqual(
          raw.map(Math.abs),
        );
      }),
      { seed: 3, numRuns: 150 },
    );
  });

  it("refuse a header declaring more than maxValues values, before reading the data", () => {
    fc.assert(
      fc.property(
        arrays,
        fc.integer({ min: 1, max: 70 }),
        ({ dtype, n, width, seed }, maxValues) => {
          const raw = valuesOf(n * width, seed).map((v) =>
            dtype.idx === "uint8" ? v + 100 : v,
          );
          const np = write(
            `m${files++}.npy`,
            npyBytes(
              { descr: dtype.descr, shape: [n, width] },
              bytesOf(dtype.make(raw)),
            ),
          );
          const ix = write(
            `m${files++}.idx`,
            idxBytes(dtype.idx, [n, width], raw),
          );
          const limits = { maxValues };
          const tail = `is ${n * width} values (${n * width * 4} bytes as float32), more than the ${maxValues} values (${maxValues * 4} bytes) one data file may hold; use a file with fewer examples`;
          if (n * width <= maxValues) {
            expect(readNpy(join(dir, np), np, limits).n).toBe(n);
            expect(readIdx(join(dir, ix), ix, limits).n).toBe(n);
            return;
          }
          expect(
            dataErrorMessage(() => readNpy(join(dir, np), np, limits)),
          ).toBe(
            `${np}: header: shape (${n}, ${width}) of '${dtype.descr}' ${tail}`,
          );
          expect(
            dataErrorMessage(() => readIdx(join(dir, ix), ix, limits)),
          ).toBe(`${ix}: header: shape ${n} × ${width} ${dtype.idx} ${tail}`);
        },
      ),
      { seed: 4, numRuns: 150 },
    );
  });

  it("say a file is truncated when its header declares more than it holds, however much", () => {
    const dim = fc.oneof(
      fc.integer({ min: 1, max: 2 ** 32 - 1 }),
      fc.constant(2 ** 32 - 1),
    );
    fc.assert(
      fc.property(
        fc.array(dim, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 40 }),
        (shape, have) => {
          const bytes = idxBytes("float32", shape, []);
          const file = new Uint8Array(bytes.length + have);
          file.set(bytes);
          const need = shape.reduce((a, b) => a * b, 1) * 4;
          if (need <= have) return;
          expect(dataErrorMessage(() => parseIdx(file, "t.idx"))).toMatch(
            /^t\.idx: example \d+ \(0-based\): truncated file/,
          );
          if (shape.length === 1)
            expect(
              dataErrorMessage(() => parseIdxLabels(file, "t.idx")),
            ).toMatch(/^t\.idx: example \d+ \(0-based\): truncated file/);
          const np = npyBytes(
            { descr: "<f8", shape: shape.slice(0, 2) },
            new Uint8Array(have),
          );
          if (shape.slice(0, 2).reduce((a, b) => a * b, 1) * 8 > have)
            expect(dataErrorMessage(() => parseNpy(np, "t.npy"))).toMatch(
              /^t\.npy: example \d+ \(0-based\): truncated file/,
            );
        },
      ),
      { seed: 5, numRuns: 300 },
    );
  });

  it("refuse an NPY header longer than NPY_MAX_HEADER_BYTES", () => {
    const long = NPY_MAX_HEADER_BYTES + 64;
    const bytes = new Uint8Array(12 + long);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
    new DataView(bytes.buffer).setUint32(8, long, true);
    expect(dataErrorMessage(() => parseNpy(bytes, "h.npy"))).toBe(
      `h.npy: header: the header is ${long} bytes long, expected at most 1048576 (NumPy writes a few hundred)`,
    );
  });

  it("pass the limits through loadViews", () => {
    write(
      "big.npy",
      npyBytes({ descr: "<f4", shape: [3, 2] }, bytesOf(new Float32Array(6))),
    );
    const t = train(npy("big.npy"), [bind("x", "row")]);
    expect(
      dataErrorMessage(() =>
        loadViews(t, [view("x", "real", 2)], "data", dir, {
          seed: 0,
          limits: { maxValues: 5 },
        }),
      ),
    ).toBe(
      "big.npy: header: shape (3, 2) of '<f4' is 6 values (24 bytes as float32), more than the 5 values (20 bytes) one data file may hold; use a file with fewer examples",
    );
  });
});
