// Loads a train block's views as typed arrays: bindings, selections, static binarization, checks.
import type { IrTrain, IrView } from "../../compiler/ir/types.js";
import { binarizeStatic, staticSeed } from "./binarize.js";
import { DataError, plural } from "./errors.js";
import {
  declaration,
  describeSelect,
  extract,
  selectColumns,
  validate,
} from "./select.js";
import { describeSource, loadSource, type LoadedSource } from "./sources.js";

export interface Dataset {
  /** Number of examples (after `limit`). */
  n: number;
  /** Each view's values, n × width, row-major; a categorical view is 1 column of class indices. */
  views: Map<string, Float32Array>;
  widths: Map<string, number>;
  /** The source's `label` field when it has one (MNIST, IDX with labels), for colouring plots. */
  labels?: Int32Array;
  /** What the main source asks for. Static draws are already applied; see `dynamic`. */
  binarize: "none" | "static" | "dynamic";
  /**
   * The binary views whose source asks for dynamic binarization: they hold grey levels in [0, 1]
   * and the trainer draws a fresh Bernoulli sample of them every epoch.
   */
  dynamic: string[];
  /** A readable description: `mnist(split: "train", binarize: static): 60000 examples`. */
  source: string;
}

export interface LoadOptions {
  /** Keep only the first `limit` examples. */
  limit?: number;
  /** Seeds static binarization (with the split), so a run's draw is reproducible. */
  seed: number;
}

interface Plan {
  view: IrView;
  field: string;
  select: IrTrain["views"][number]["select"];
  source: LoadedSource;
  /** 0 for the main source, k ≥ 1 for the k-th paired file (it seeds static draws). */
  sourceIndex: number;
}

/**
 * Loads the `data` or `test` split of a train block for the given views. Relative paths are
 * resolved against `baseDir` (the .vae file's folder). Every value is checked against its view's
 * declaration; a file that is missing, truncated, corrupt or does not fit throws a DataError.
 * Binarization applies to `binary` views only: `static` draws here, once (see binarizeStatic);
 * `dynamic` views are returned as grey levels and listed in `dynamic`.
 */
export function loadViews(
  train: IrTrain,
  views: IrView[],
  which: "data" | "test",
  baseDir: string,
  options: LoadOptions,
): Dataset {
  const main = which === "data" ? train.data : train.test;
  if (main === null)
    throw new Error("the train block has no `test` source to load");
  const { limit } = options;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1))
    throw new RangeError(`limit must be a positive integer, got ${limit}`);

  const bindings = views.map((view) => {
    const binding = train.views.find((b) => b.view === view.name);
    if (binding === undefined)
      throw new Error(`internal error: view ${view.name} has no binding`);
    return { view, binding };
  });
  for (const { view, binding } of bindings)
    if (binding.file !== undefined && which === "test")
      throw new DataError(
        "path" in binding.file
          ? binding.file.path
          : describeSource(binding.file),
        "file",
        `${declaration(view)} is read from its own file, row-aligned with the training data, so the test source ${describeSource(main)} cannot provide it: expected every view of a test set to come from the test source`,
      );

  // What each CSV column is read as, for messages about bad values.
  const describer =
    (own: typeof bindings) =>
    (column: number): string | undefined => {
      const readers = own.filter(({ binding: { select: s } }) =>
        s.kind === "columns" ? column >= s.from && column < s.to : true,
      );
      return readers.length === 0
        ? "not read by any view"
        : readers.map(({ view }) => declaration(view)).join(", ");
    };
  const mainSource = loadSource(
    main,
    baseDir,
    describer(bindings.filter((b) => b.binding.file === undefined)),
  );
  const paired = new Map<string, { source: LoadedSource; index: number }>();
  const plans: Plan[] = bindings.map(({ view, binding }) => {
    const base = { view, field: binding.field, select: binding.select };
    if (binding.file === undefined)
      return { ...base, source: mainSource, sourceIndex: 0 };
    const key = describeSource(binding.file);
    let entry = paired.get(key);
    if (entry === undefined) {
      const own = bindings.filter(
        (b) => b.binding.file && describeSource(b.binding.file) === key,
      );
      const source = loadSource(binding.file, baseDir, describer(own));
      entry = { source, index: paired.size + 1 };
      paired.set(key, entry);
      checkAligned(mainSource, source, view);
    }
    return { ...base, source: entry.source, sourceIndex: entry.index };
  });

  if (mainSource.n === 0)
    throw new DataError(
      mainSource.file,
      "file",
      `0 examples, expected at least one (${views.map(declaration).join(", ")})`,
    );
  const n = Math.min(limit ?? mainSource.n, mainSource.n);

  const out = new Map<string, Float32Array>();
  const widths = new Map<string, number>();
  const drawn = new Map<string, Float32Array>();
  for (const plan of plans) {
    const { view, source } = plan;
    const field = source.fields.get(plan.field);
    if (field === undefined)
      throw new DataError(
        source.file,
        "file",
        `${source.description} has no field \`${plan.field}\` (it has ${[...source.fields.keys()].map((f) => `\`${f}\``).join(", ")}), expected one for ${describeSelect(plan.select, plan.field)} (${declaration(view)})`,
      );
    const columns = selectColumns(field, plan.select, view);
    let values = extract(field, columns, n);
    validate(values, field, columns, view);
    if (view.support === "binary" && source.binarize === "static") {
      // Binarize the whole field once, so two halves of one image share a single draw.
      const key = `${plan.sourceIndex}/${field.name}`;
      let bits = drawn.get(key);
      if (bits === undefined) {
        const seed = staticSeed(options.seed, which, plan.sourceIndex);
        bits = binarizeStatic(field.values.subarray(0, n * field.width), seed);
        drawn.set(key, bits);
      }
      values = extract({ ...field, values: bits }, columns, n);
    }
    out.set(view.name, values);
    widths.set(view.name, columns.length);
  }

  const label = mainSource.fields.get("label");
  const files = [...paired.values()].map(({ source }) => {
    const readers = plans.filter((p) => p.source === source);
    return `${readers.map((p) => p.view.name).join(", ")} from ${source.description}`;
  });
  return {
    n,
    views: out,
    widths,
    ...(label ? { labels: Int32Array.from(label.values.subarray(0, n)) } : {}),
    binarize: mainSource.binarize,
    dynamic: plans
      .filter(
        (p) => p.view.support === "binary" && p.source.binarize === "dynamic",
      )
      .map((p) => p.view.name),
    source:
      [mainSource.description, ...files].join("; ") +
      `: ${plural(n, "example")}` +
      (n < mainSource.n ? ` (the first ${n} of ${mainSource.n})` : ""),
  };
}

/** Paired files must hold as many examples as the main source: they are matched row by row. */
function checkAligned(
  main: LoadedSource,
  file: LoadedSource,
  view: IrView,
): void {
  if (file.n === main.n) return;
  const [long, short] = file.n > main.n ? [file, main] : [main, file];
  throw new DataError(
    long.file,
    long.where(short.n),
    `no partner for this example: ${short.file} has ${plural(short.n, "example")} but ${long.file} has ${long.n}; ${declaration(view)} is read from ${file.file}, which must be row-aligned with the data source ${main.file}`,
  );
}
