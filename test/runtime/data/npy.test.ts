// .npy parsing: versions 1–3, the usual dtypes, and each way a file can be wrong.
import { describe, expect, it } from "vitest";
import { parseNpy } from "../../../src/runtime/data/npy.js";
import { bytesOf, npyBytes, dataErrorMessage } from "./fixtures/write.js";

const f4 = (shape: number[], values: number[], version?: 1 | 2 | 3) =>
  npyBytes(
    { descr: "<f4", shape, ...(version ? { version } : {}) },
    bytesOf(new Float32Array(values)),
  );

describe("parseNpy", () => {
  it.each([1, 2, 3] as const)(
    "reads a 2-D '<f4' array (format %i.0)",
    (version) => {
      const a = parseNpy(f4([2, 3], [1, 2, 3, 4.5, 5, -6], version), "x.npy");
      expect([a.n, a.width]).toEqual([2, 3]);
      expect(a.shape).toEqual([2, 3]);
      expect(a.descr).toBe("<f4");
      expect([...a.values]).toEqual([1, 2, 3, 4.5, 5, -6]);
    },
  );

  it("reads a 1-D array as examples of one value", () => {
    const a = parseNpy(
      npyBytes(
        { descr: "<f8", shape: [3] },
        bytesOf(new Float64Array([0.25, -1, 8])),
      ),
      "x.npy",
    );
    expect([a.n, a.width]).toEqual([3, 1]);
    expect([...a.values]).toEqual([0.25, -1, 8]);
  });

  it.each([
    ["|u1", new Uint8Array([0, 200, 255, 7]), [0, 200, 255, 7]],
    ["|i1", new Int8Array([-3, 2, 127, -128]), [-3, 2, 127, -128]],
    ["<i2", new Int16Array([-300, 2, 7, 0]), [-300, 2, 7, 0]],
    ["<i4", new Int32Array([-70000, 2, 7, 0]), [-70000, 2, 7, 0]],
    ["<i8", new BigInt64Array([-5n, 2n, 1n << 40n, 0n]), [-5, 2, 2 ** 40, 0]],
    ["<u2", new Uint16Array([65535, 1, 2, 3]), [65535, 1, 2, 3]],
    ["|b1", new Uint8Array([1, 0, 0, 1]), [1, 0, 0, 1]],
    ["<f2", new Uint16Array([0x3c00, 0xc000, 0x3800, 0x0000]), [1, -2, 0.5, 0]],
  ] as const)("reads dtype %s", (descr, data, expected) => {
    const a = parseNpy(
      npyBytes({ descr, shape: [2, 2] }, bytesOf(data)),
      "x.npy",
    );
    expect([...a.values]).toEqual(expected);
  });

  it("reads big-endian data", () => {
    const data = new Uint8Array(8);
    new DataView(data.buffer).setFloat32(0, 1.5, false);
    new DataView(data.buffer).setFloat32(4, -3, false);
    const a = parseNpy(npyBytes({ descr: ">f4", shape: [2] }, data), "x.npy");
    expect([...a.values]).toEqual([1.5, -3]);
  });

  it("rejects a file without the magic string", () => {
    const bytes = f4([1, 1], [1]);
    bytes[1] = 0x4f;
    expect(dataErrorMessage(() => parseNpy(bytes, "data/x.npy"))).toBe(
      "data/x.npy: header: no \\x93NUMPY magic string at the start, expected a NumPy .npy file",
    );
  });

  it("rejects an unknown format version", () => {
    const bytes = f4([1, 1], [1]);
    bytes[6] = 4;
    expect(dataErrorMessage(() => parseNpy(bytes, "x.npy"))).toBe(
      "x.npy: header: format version 4.0, expected 1.0, 2.0 or 3.0",
    );
  });

  it("rejects Fortran order", () => {
    const bytes = npyBytes(
      { descr: "<f4", shape: [1, 1], fortran: true },
      new Uint8Array(4),
    );
    expect(dataErrorMessage(() => parseNpy(bytes, "x.npy"))).toMatch(
      /^x\.npy: header: fortran_order is True, expected False \(C order\)/,
    );
  });

  it("rejects an unsupported dtype", () => {
    const bytes = npyBytes({ descr: "<c8", shape: [1] }, new Uint8Array(8));
    expect(dataErrorMessage(() => parseNpy(bytes, "x.npy"))).toMatch(
      /^x\.npy: header: unsupported dtype '<c8', expected one of '<f2' '<f4'/,
    );
  });

  it("rejects a 3-D array", () => {
    const bytes = f4([1, 2, 2], [1, 2, 3, 4]);
    expect(dataErrorMessage(() => parseNpy(bytes, "x.npy"))).toBe(
      "x.npy: header: shape (1, 2, 2) is 3-D, expected a 1-D or 2-D array (examples × values)",
    );
  });

  it("rejects a truncated file, naming the example it ends in", () => {
    const bytes = f4([3, 2], [1, 2, 3, 4, 5, 6]);
    expect(
      dataErrorMessage(() =>
        parseNpy(bytes.subarray(0, bytes.length - 1), "x.npy"),
      ),
    ).toBe(
      "x.npy: example 2 (0-based): truncated file: shape (3, 2) of '<f4' needs 24 data bytes, the file has 23 and ends inside example 2",
    );
  });

  it("rejects a header cut short", () => {
    const bytes = f4([3, 2], [1, 2, 3, 4, 5, 6]).subarray(0, 40);
    expect(dataErrorMessage(() => parseNpy(bytes, "x.npy"))).toBe(
      "x.npy: header: truncated: the header is 118 bytes long, the file ends after 30",
    );
  });

  it("rejects trailing bytes", () => {
    const good = f4([2], [1, 2]);
    const bytes = new Uint8Array(good.length + 4);
    bytes.set(good);
    expect(dataErrorMessage(() => parseNpy(bytes, "x.npy"))).toBe(
      "x.npy: 4 trailing bytes after the last example (index 1): shape (2,) of '<f4' needs exactly 8 data bytes",
    );
  });
});
