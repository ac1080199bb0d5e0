// loadViews over small IDX files: image halves, labels, static and dynamic binarization, checks.
import { describe, expect, it } from "vitest";
import { loadViews } from "../../../src/runtime/data/dataset.js";
import {
  bind,
  dataErrorMessage,
  idx,
  idxBytes,
  tempDir,
  train,
  view,
} from "./fixtures/write.js";

const opts = { seed: 0 };

describe("loadViews from IDX", () => {
  // 3 images of 4 × 4: pixel k of image i is 16·i + k (as a grey level k/255 scaled).
  const pixels = Array.from({ length: 48 }, (_, k) => k);
  const grey = (i: number, k: number) => Math.fround((16 * i + k) / 255);
  const setup = (labels: number[] = [2, 0, 1]) => {
    const { dir, write } = tempDir();
    write("img.idx", idxBytes("uint8", [3, 4, 4], pixels));
    write("lab.idx", idxBytes("uint8", [labels.length], labels));
    return dir;
  };

  it("takes halves of images and reads labels as a categorical view", () => {
    const dir = setup();
    const t = train(idx("img.idx", "none", "lab.idx"), [
      bind("top", "image", { kind: "top_half" }),
      bind("bottom", "image", { kind: "bottom_half" }),
      bind("left", "image", { kind: "left_half" }),
      bind("right", "image", { kind: "right_half" }),
      bind("y", "label"),
    ]);
    const vs = ["top", "bottom", "left", "right"].map((v) =>
      view(v, "real", 8),
    );
    const d = loadViews(
      t,
      [...vs, view("y", "categorical", 1, 3)],
      "data",
      dir,
      opts,
    );
    const row = (v: string, i: number) => [
      ...d.views.get(v)!.subarray(8 * i, 8 * i + 8),
    ];
    expect(row("top", 1)).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((k) => grey(1, k)),
    );
    expect(row("bottom", 1)).toEqual(
      [8, 9, 10, 11, 12, 13, 14, 15].map((k) => grey(1, k)),
    );
    expect(row("left", 2)).toEqual(
      [0, 1, 4, 5, 8, 9, 12, 13].map((k) => grey(2, k)),
    );
    expect(row("right", 2)).toEqual(
      [2, 3, 6, 7, 10, 11, 14, 15].map((k) => grey(2, k)),
    );
    expect([...d.views.get("y")!]).toEqual([2, 0, 1]);
    expect([...d.labels!]).toEqual([2, 0, 1]);
    expect(d.widths.get("y")).toBe(1);
  });

  it("rejects a label outside the view's classes", () => {
    const dir = setup([2, 0, 3]);
    const t = train(idx("img.idx", "none", "lab.idx"), [bind("y", "label")]);
    expect(
      dataErrorMessage(() =>
        loadViews(t, [view("y", "categorical", 1, 3)], "data", dir, opts),
      ),
    ).toBe(
      "lab.idx: example 2 (0-based): the label is 3, expected an integer class index in [0, 3) (view y : categorical[3])",
    );
  });

  it("rejects a labels file of another length, naming both files", () => {
    const dir = setup([2, 0]);
    const t = train(idx("img.idx", "none", "lab.idx"), [bind("x", "image")]);
    expect(
      dataErrorMessage(() =>
        loadViews(t, [view("x", "real", 16)], "data", dir, opts),
      ),
    ).toBe(
      "img.idx: example 2 (0-based): no partner for this example: lab.idx has 2 examples, img.idx has 3; an IDX image file and its labels must hold the same number of examples",
    );
  });

  it("rejects a pixel outside [0, 1] in a binary view", () => {
    const { dir, write } = tempDir();
    write(
      "img.idx",
      idxBytes("float32", [2, 2, 2], [0, 0.5, 1, 1, 0, 0, 2, 0]),
    );
    const t = train(idx("img.idx"), [bind("x", "image")]);
    expect(
      dataErrorMessage(() =>
        loadViews(t, [view("x", "binary", 4)], "data", dir, opts),
      ),
    ).toBe(
      "img.idx: example 1 (0-based): pixel 2 (row 1, column 0, 0-based) is 2, expected a value in [0, 1] (view x : binary[4])",
    );
  });

  it("rejects halves of something that is not an image, or an odd side", () => {
    const { dir, write } = tempDir();
    write("flat.idx", idxBytes("uint8", [1, 4], [0, 0, 0, 0]));
    write("odd.idx", idxBytes("uint8", [1, 3, 2], [0, 0, 0, 0, 0, 0]));
    const half = (file: string) =>
      train(idx(file), [bind("x", "image", { kind: "top_half" })]);
    expect(
      dataErrorMessage(() =>
        loadViews(half("flat.idx"), [view("x", "real", 2)], "data", dir, opts),
      ),
    ).toBe(
      "flat.idx: example 0 (0-based): field `image` is not an image (4 values per example, no height × width), but top_half(image) (view x : real[2]) needs one",
    );
    expect(
      dataErrorMessage(() =>
        loadViews(half("odd.idx"), [view("x", "real", 3)], "data", dir, opts),
      ),
    ).toBe(
      "odd.idx: example 0 (0-based): a 3 × 2 image has an odd height, expected an even one for top_half(image) (view x : real[3])",
    );
  });
});

describe("binarization", () => {
  // 40 images of 4 × 4 with varied grey levels.
  const pixels = Array.from({ length: 40 * 16 }, (_, k) => (k * 37) % 256);
  const load = (
    binarize: "none" | "static" | "dynamic",
    seed: number,
    which: "data" | "test" = "data",
    limit?: number,
  ) => {
    const { dir, write } = tempDir();
    write("img.idx", idxBytes("uint8", [40, 4, 4], pixels));
    const t = train(
      idx("img.idx", binarize),
      [
        bind("x", "image"),
        bind("top", "image", { kind: "top_half" }),
        bind("g", "image"),
      ],
      idx("img.idx", binarize),
    );
    const views = [
      view("x", "binary", 16),
      view("top", "binary", 8),
      view("g", "real", 16),
    ];
    return loadViews(t, views, which, dir, {
      seed,
      ...(limit ? { limit } : {}),
    });
  };

  it("draws static binarization once, reproducibly per seed and split", () => {
    const a = load("static", 1);
    const x = a.views.get("x")!;
    expect([...x].every((v) => v === 0 || v === 1)).toBe(true);
    expect(x.some((v) => v === 0) && x.some((v) => v === 1)).toBe(true);
    expect(a.binarize).toBe("static");
    expect(a.dynamic).toEqual([]);
    expect([...load("static", 1).views.get("x")!]).toEqual([...x]);
    expect([...load("static", 2).views.get("x")!]).not.toEqual([...x]);
    expect([...load("static", 1, "test").views.get("x")!]).not.toEqual([...x]);
    // the two views of one image share a draw; a real view keeps its grey levels
    for (let i = 0; i < 40; i++)
      expect([...a.views.get("top")!.subarray(8 * i, 8 * i + 8)]).toEqual([
        ...x.subarray(16 * i, 16 * i + 8),
      ]);
    expect(a.views.get("g")!.some((v) => v > 0 && v < 1)).toBe(true);
    // black pixels stay 0, white ones 1
    pixels.forEach((p, k) => {
      if (p === 0) expect(x[k]).toBe(0);
      if (p === 255) expect(x[k]).toBe(1);
    });
  });

  it("gives the first examples the same draw under a limit", () => {
    const full = load("static", 3).views.get("x")!;
    const some = load("static", 3, "data", 5);
    expect(some.n).toBe(5);
    expect([...some.views.get("x")!]).toEqual([...full.subarray(0, 5 * 16)]);
  });

  it("leaves dynamic binarization to the trainer, returning grey levels", () => {
    const d = load("dynamic", 1);
    expect(d.binarize).toBe("dynamic");
    expect(d.dynamic).toEqual(["x", "top"]);
    expect([...d.views.get("x")!]).toEqual([
      ...load("none", 1).views.get("x")!,
    ]);
    expect(d.views.get("x")!.some((v) => v > 0 && v < 1)).toBe(true);
  });
});
