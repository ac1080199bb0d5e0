// IDX parsing: round trips of every type, and each way a file can be wrong.
import { describe, expect, it } from "vitest";
import {
  parseIdx,
  parseIdxLabels,
  readIdx,
} from "../../../src/runtime/data/idx.js";
import { idxBytes, tempDir, dataErrorMessage } from "./fixtures/write.js";

describe("parseIdx", () => {
  it("reads uint8 images as grey levels divided by 255", () => {
    const pixels = [0, 255, 51, 102, 1, 2, 3, 4, 10, 20, 30, 40];
    const a = parseIdx(idxBytes("uint8", [3, 2, 2], pixels), "a.idx");
    expect(a.n).toBe(3);
    expect(a.width).toBe(4);
    expect(a.shape).toEqual([3, 2, 2]);
    expect(a.type).toBe("uint8");
    expect([...a.values]).toEqual(pixels.map((p) => Math.fround(p / 255)));
  });

  it.each([
    ["int8", [-128, 127, 0, -1]],
    ["int16", [-32768, 32767, 300, -2]],
    ["int32", [-2147483648, 2147483647, 70000, 5]],
    ["float32", [0.5, -1.25, 3e10, 0]],
    ["float64", [0.5, -1.25, 1e-3, 7]],
  ] as const)("reads big-endian %s values as stored", (type, values) => {
    const a = parseIdx(idxBytes(type, [2, 2], [...values]), "a.idx");
    expect(a.n).toBe(2);
    expect(a.width).toBe(2);
    expect([...a.values]).toEqual(values.map((v) => Math.fround(v)));
  });

  it("treats a 1-D file as examples of one value", () => {
    const a = parseIdx(idxBytes("uint8", [3], [0, 255, 0]), "a.idx");
    expect([a.n, a.width]).toEqual([3, 1]);
  });

  it("rejects a bad magic number", () => {
    const bytes = idxBytes("uint8", [1, 1], [0]);
    bytes[0] = 0x12;
    bytes[1] = 0x34;
    expect(dataErrorMessage(() => parseIdx(bytes, "data/a.idx"))).toMatch(
      /^data\/a\.idx: header: bad magic number 0x12340802, expected an IDX file/,
    );
  });

  it("rejects an unsupported type byte", () => {
    const bytes = idxBytes("uint8", [1, 1], [0]);
    bytes[2] = 0x0a;
    expect(dataErrorMessage(() => parseIdx(bytes, "a.idx"))).toMatch(
      /^a\.idx: header: unsupported data type byte 0x0A, expected one of 0x08 uint8, /,
    );
  });

  it("rejects a truncated file, naming the example it ends in", () => {
    const bytes = idxBytes("uint8", [3, 2, 2], new Array(12).fill(7));
    expect(
      dataErrorMessage(() =>
        parseIdx(bytes.subarray(0, bytes.length - 3), "a.idx"),
      ),
    ).toBe(
      "a.idx: example 2 (0-based): truncated file: the header declares 3 × 2 × 2 uint8 (28 bytes), the file has 25 bytes and ends inside example 2",
    );
  });

  it("rejects a header cut short", () => {
    const bytes = idxBytes("uint8", [3, 2, 2], []).subarray(0, 10);
    expect(dataErrorMessage(() => parseIdx(bytes, "a.idx"))).toBe(
      "a.idx: header: truncated: 3 dimensions need a 16-byte header, the file has 10 bytes",
    );
  });

  it("rejects trailing bytes", () => {
    const good = idxBytes("float32", [2, 1], [1, 2]);
    const bytes = new Uint8Array(good.length + 2);
    bytes.set(good);
    expect(dataErrorMessage(() => parseIdx(bytes, "a.idx"))).toBe(
      "a.idx: 2 trailing bytes after the last example (index 1): the header declares 2 × 1 float32, expected the file to end at byte 20",
    );
  });
});

describe("parseIdxLabels", () => {
  it("reads integer labels", () => {
    const l = parseIdxLabels(idxBytes("uint8", [4], [5, 0, 4, 9]), "l.idx");
    expect(l.values).toBeInstanceOf(Int32Array);
    expect([...l.values]).toEqual([5, 0, 4, 9]);
  });

  it("rejects a non-integer label, naming its index", () => {
    const bytes = idxBytes("float32", [3], [1, 2, 2.5]);
    expect(dataErrorMessage(() => parseIdxLabels(bytes, "l.idx"))).toBe(
      "l.idx: example 2 (0-based): label is 2.5, expected an integer class index in [0, 16777216)",
    );
  });

  it("rejects several values per example", () => {
    const bytes = idxBytes("uint8", [2, 2], [1, 2, 3, 4]);
    expect(dataErrorMessage(() => parseIdxLabels(bytes, "l.idx"))).toBe(
      "l.idx: header: shape 2 × 2 uint8, expected one label per example (a 1-D file)",
    );
  });
});

describe("readIdx", () => {
  it("reads a file and names a missing one", () => {
    const { dir, write } = tempDir();
    write("a.idx", idxBytes("uint8", [1, 2], [0, 255]));
    expect([...readIdx(`${dir}/a.idx`, "a.idx").values]).toEqual([0, 1]);
    expect(
      dataErrorMessage(() => readIdx(`${dir}/nope.idx`, "nope.idx")),
    ).toMatch(/^nope\.idx: cannot read \(no such file\)/);
  });
});
