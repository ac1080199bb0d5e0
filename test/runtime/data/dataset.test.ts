// loadViews over small CSV and NPY files: bindings, columns, paired files, limit, and every check.
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/driver.js";
import { loadViews } from "../../../src/runtime/data/dataset.js";
import {
  bind,
  bytesOf,
  csv,
  dataErrorMessage,
  npy,
  npyBytes,
  tempDir,
  train,
  view,
} from "./fixtures/write.js";

const opts = { seed: 0 };

describe("loadViews from CSV", () => {
  it("reads a CSV view row-major, with its width and a description", () => {
    const { dir, write } = tempDir();
    write("x.csv", "a,b,c,d\n1,2,3,4\n5,6,7,8\n9,10,11,12\n");
    const t = train(csv("x.csv", true), [bind("x", "row")]);
    const d = loadViews(t, [view("x", "real", 4)], "data", dir, opts);
    expect(d.n).toBe(3);
    expect([...d.views.get("x")!]).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
    expect(d.widths.get("x")).toBe(4);
    expect(d.labels).toBeUndefined();
    expect(d.binarize).toBe("none");
    expect(d.source).toBe('csv(path: "x.csv", header: true): 3 examples');
  });

  it("splits columns between views and keeps the first `limit` rows", () => {
    const { dir, write } = tempDir();
    write("x.csv", "1,2,3\n4,5,6\n7,8,9\n");
    const t = train(csv("x.csv"), [
      bind("a", "row", { kind: "columns", from: 0, to: 2 }),
      bind("b", "row", { kind: "columns", from: 2, to: 3 }),
    ]);
    const d = loadViews(
      t,
      [view("a", "real", 2), view("b", "real", 1)],
      "data",
      dir,
      { seed: 0, limit: 2 },
    );
    expect(d.n).toBe(2);
    expect([...d.views.get("a")!]).toEqual([1, 2, 4, 5]);
    expect([...d.views.get("b")!]).toEqual([3, 6]);
    expect(d.source).toBe(
      'csv(path: "x.csv", header: false): 2 examples (the first 2 of 3)',
    );
  });

  it("rejects 5 columns for real[4], naming the first row's line", () => {
    const { dir, write } = tempDir();
    write("x.csv", "a,b,c,d,e\n1,2,3,4,5\n");
    const t = train(csv("data/../x.csv", true), [bind("x", "row")]);
    expect(
      dataErrorMessage(() =>
        loadViews(t, [view("x", "real", 4)], "data", dir, opts),
      ),
    ).toBe("data/../x.csv:2: row has 5 columns, expected 4 (view x : real[4])");
  });

  it("names the view reading a non-number", () => {
    const { dir, write } = tempDir();
    write("x.csv", "1,2,3,4\n1,2,abc,4\n");
    const t = train(csv("x.csv"), [bind("x", "row")]);
    expect(
      dataErrorMessage(() =>
        loadViews(t, [view("x", "real", 4)], "data", dir, opts),
      ),
    ).toBe(
      'x.csv:2: column 3 is "abc", expected a finite real (view x : real[4])',
    );
  });

  it("rejects a binary view's value outside [0, 1]", () => {
    const { dir, write } = tempDir();
    write("x.csv", "0,1\n0.5,0.25\n\n1,1.5\n");
    const t = train(csv("x.csv"), [bind("x", "row")]);
    expect(
      dataErrorMessage(() =>
        loadViews(t, [view("x", "binary", 2)], "data", dir, opts),
      ),
    ).toBe(
      "x.csv:4: column 2 is 1.5, expected a value in [0, 1] (view x : binary[2])",
    );
  });

  it("rejects a column range past the last column", () => {
    const { dir, write } = tempDir();
    write("x.csv", "1,2,3,4\n");
    const t = train(csv("x.csv"), [
      bind("x", "row", { kind: "columns", from: 2, to: 6 }),
    ]);
    expect(
      dataErrorMessage(() =>
        loadViews(t, [view("x", "real", 4)], "data", dir, opts),
      ),
    ).toBe(
      "x.csv:1: 4 columns (0-based 0..3), but columns(2 -> 6) needs column 5: expected at least 6 (view x : real[4])",
    );
  });

  it("rejects a file without rows", () => {
    const { dir, write } = tempDir();
    write("x.csv", "a,b\n");
    const t = train(csv("x.csv", true), [bind("x", "row")]);
    expect(
      dataErrorMessage(() =>
        loadViews(t, [view("x", "real", 2)], "data", dir, opts),
      ),
    ).toBe("x.csv: 0 examples, expected at least one (view x : real[2])");
  });

  it("names a missing file", () => {
    const { dir } = tempDir();
    const t = train(csv("gone.csv"), [bind("x", "row")]);
    expect(
      dataErrorMessage(() =>
        loadViews(t, [view("x", "real", 2)], "data", dir, opts),
      ),
    ).toMatch(/^gone\.csv: cannot read \(no such file\) at .*gone\.csv$/);
  });
});

describe("paired files", () => {
  const model = (xPath: string, yPath: string) => `model m {
  data x : real[3]
  data y : real[2]
  latent z : real[2]
  prior p(z) = Normal(0, 1)
  encoder q(z | x) = DiagNormal(mlp(x, [4], relu))
  decoder p(y | z) = Normal(loc: linear(z), scale: 1)
}
train m {
  data  = csv(path: "${xPath}", header: true)
  test  = csv(path: "${xPath}", header: true)
  views = { x: row, y: csv(path: "${yPath}") }
}`;

  it("reads a view from its own file, resolved against the .vae folder", () => {
    const { dir, write } = tempDir();
    write("x.csv", "a,b,c\n1,2,3\n4,5,6\n");
    write("y.csv", "10,20\n30,40\n");
    const ir = compile(model("x.csv", "y.csv"), "m.vae").models[0]!;
    const d = loadViews(ir.train!, ir.views, "data", dir, opts);
    expect([...d.views.get("x")!]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...d.views.get("y")!]).toEqual([10, 20, 30, 40]);
    expect(d.source).toBe(
      'csv(path: "x.csv", header: true); y from csv(path: "y.csv", header: false): 2 examples',
    );
  });

  it("rejects files with different row counts, naming both", () => {
    const { dir, write } = tempDir();
    write("x.csv", "a,b,c\n1,2,3\n4,5,6\n7,8,9\n");
    write("y.csv", "10,20\n30,40\n");
    const ir = compile(model("x.csv", "y.csv"), "m.vae").models[0]!;
    expect(
      dataErrorMessage(() => loadViews(ir.train!, ir.views, "data", dir, opts)),
    ).toBe(
      "x.csv:4: no partner for this example: y.csv has 2 examples but x.csv has 3; view y : real[2] is read from y.csv, which must be row-aligned with the data source x.csv",
    );
  });

  it("refuses to build a test set for a paired view", () => {
    const { dir, write } = tempDir();
    write("x.csv", "a,b,c\n1,2,3\n");
    write("y.csv", "10,20\n");
    const ir = compile(model("x.csv", "y.csv"), "m.vae").models[0]!;
    expect(
      dataErrorMessage(() => loadViews(ir.train!, ir.views, "test", dir, opts)),
    ).toMatch(
      /^y\.csv: view y : real\[2\] is read from its own file, row-aligned with the training data/,
    );
  });
});

describe("loadViews from NPY", () => {
  it("reads a 2-D array and a test split", () => {
    const { dir, write } = tempDir();
    write(
      "x.npy",
      npyBytes(
        { descr: "<f4", shape: [2, 3] },
        bytesOf(new Float32Array([1, 2, 3, 4, 5, 6])),
      ),
    );
    write(
      "t.npy",
      npyBytes(
        { descr: "<f8", shape: [1, 3] },
        bytesOf(new Float64Array([7, 8, 9])),
      ),
    );
    const t = train(npy("x.npy"), [bind("x", "row")], npy("t.npy"));
    expect([
      ...loadViews(t, [view("x", "real", 3)], "data", dir, opts).views.get(
        "x",
      )!,
    ]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([
      ...loadViews(t, [view("x", "real", 3)], "test", dir, opts).views.get(
        "x",
      )!,
    ]).toEqual([7, 8, 9]);
  });

  it("rejects a NaN in a real view, naming the example", () => {
    const { dir, write } = tempDir();
    write(
      "x.npy",
      npyBytes(
        { descr: "<f4", shape: [2, 3] },
        bytesOf(new Float32Array([1, 2, 3, 4, 5, NaN])),
      ),
    );
    const t = train(npy("x.npy"), [bind("x", "row")]);
    expect(
      dataErrorMessage(() =>
        loadViews(t, [view("x", "real", 3)], "data", dir, opts),
      ),
    ).toBe(
      "x.npy: example 1 (0-based): value 2 (0-based) is NaN, expected a finite real (view x : real[3])",
    );
  });

  it("rejects a width mismatch, naming example 0", () => {
    const { dir, write } = tempDir();
    write(
      "x.npy",
      npyBytes({ descr: "<f4", shape: [1, 5] }, bytesOf(new Float32Array(5))),
    );
    const t = train(npy("x.npy"), [bind("x", "row")]);
    expect(
      dataErrorMessage(() =>
        loadViews(t, [view("x", "real", 4)], "data", dir, opts),
      ),
    ).toBe(
      "x.npy: example 0 (0-based): row has 5 values per example, expected 4 (view x : real[4])",
    );
  });

  it("fails on a truncated file instead of returning fewer examples", () => {
    const { dir, write } = tempDir();
    const bytes = npyBytes(
      { descr: "<f4", shape: [3, 2] },
      bytesOf(new Float32Array(6)),
    );
    write("x.npy", bytes.subarray(0, bytes.length - 8));
    const t = train(npy("x.npy"), [bind("x", "row")]);
    expect(
      dataErrorMessage(() =>
        loadViews(t, [view("x", "real", 2)], "data", dir, opts),
      ),
    ).toMatch(/^x\.npy: example 2 \(0-based\): truncated file/);
  });
});
