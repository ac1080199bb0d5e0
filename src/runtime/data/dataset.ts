// Loads a train block's views as typed arrays: bindings, selections, static binarization, checks.
import type { IrSource, IrTrain, IrView } from "../../ir/types.js";
import { binarizeStatic, staticSeed } from "./binarize.js";
import { DataError, plural } from "./errors.js";
import {
  declaration,
  describeSelect,
  extract,
  selectColumns,
  validate,
  validateField,
} from "./select.js";
import type { DataLimits } from "./open.js";
import {
  describeSource,
  loadSource,
  type Field,
  type LoadedSource,
} from "./sources.js";

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
  /** Keep only the first `limit` examples (every example of the files is still validated). */
  limit?: number;
  /** Seeds static binarization (with the split), so a run's draw is reproducible. */
  seed: number;
  /** Overrides of DATA_LIMITS (how many values a file may hold, ...); tests shrink them. */
  limits?: Partial<DataLimits>;
}

interface Plan {
  view: IrView;
  field: string;
  select: IrTrain["views"][number]["select"];
  source: LoadedSource;
  /** 0 for the main source, k ≥ 1 for the k-th paired file (it seeds static draws). */
  sourceIndex: number;
}

type Bindings = { view: IrView; binding: IrTrain["views"][number] }[];

/** Each view with its binding; a view of a test set cannot come from a paired file. */
function bindingsOf(
  train: IrTrain,
  views: IrView[],
  which: "data" | "test",
  main: IrSource,
): Bindings {
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
  return bindings;
}

/** What each CSV column of a file is read as, for messages about bad values. */
function describer(own: Bindings): (column: number) => string {
  return (column) => {
    const readers = own.filter(({ binding: { select: s } }) =>
      s.kind === "columns" ? column >= s.from && column < s.to : true,
    );
    return readers.length === 0
      ? "not read by any view"
      : readers.map(({ view }) => declaration(view)).join(", ");
  };
}

/** Loads the main source and every paired file, once each, and plans where each view reads. */
function planViews(
  bindings: Bindings,
  main: IrSource,
  baseDir: string,
  limits: Partial<DataLimits> | undefined,
): { mainSource: LoadedSource; paired: LoadedSource[]; plans: Plan[] } {
  const mainSource = loadSource(
    main,
    baseDir,
    describer(bindings.filter((b) => b.binding.file === undefined)),
    limits,
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
      const source = loadSource(binding.file, baseDir, describer(own), limits);
      entry = { source, index: paired.size + 1 };
      paired.set(key, entry);
      checkAligned(mainSource, source, view);
    }
    return { ...base, source: entry.source, sourceIndex: entry.index };
  });
  const others = [...paired.values()].map((e) => e.source);
  return { mainSource, paired: others, plans };
}

/** A plan's field, and the columns of it the view reads (checked against the view's width). */
function selectionOf(plan: Plan): { field: Field; columns: number[] } {
  const { view, source } = plan;
  const field = source.fields.get(plan.field);
  if (field === undefined)
    throw new DataError(
      source.file,
      "file",
      `${source.description} has no field \`${plan.field}\` (it has ${[...source.fields.keys()].map((f) => `\`${f}\``).join(", ")}), expected one for ${describeSelect(plan.select, plan.field)} (${declaration(view)})`,
    );
  return { field, columns: selectColumns(field, plan.select, view) };
}

/**
 * Every value of every field of every loaded file is checked, after the views have checked
 * theirs: a value no view reads must still be what the program takes it for (a finite real, a
 * label's class index), so a file the spec names is never partly unchecked.
 */
function validateUnread(
  sources: LoadedSource[],
  selections: { plan: Plan; field: Field; columns: number[] }[],
): void {
  for (const source of sources)
    for (const field of source.fields.values())
      validateField(field, (c) => {
        const readers = selections.filter(
          (s) => s.field === field && s.columns.includes(c),
        );
        return readers.length === 0
          ? "not read by any view"
          : readers.map((s) => declaration(s.plan.view)).join(", ");
      });
}

/**
 * Loads the `data` or `test` split of a train block for the given views. Relative paths are
 * resolved against `baseDir` (the .vae file's folder). Every value of every file is checked (its
 * view's declaration, or what it is when no view reads it); a file that is missing, not a regular
 * file, too large, truncated, corrupt or does not fit throws a DataError. Binarization applies
 * to `binary` views only: `static` draws here, once (see binarizeStatic); `dynamic` views are
 * returned as grey levels and listed in `dynamic`.
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
  const bindings = bindingsOf(train, views, which, main);
  const { mainSource, paired, plans } = planViews(
    bindings,
    main,
    baseDir,
    options.limits,
  );
  if (mainSource.n === 0)
    throw new DataError(
      mainSource.file,
      "file",
      `0 examples, expected at least one (${views.map(declaration).join(", ")})`,
    );
  const n = Math.min(limit ?? mainSource.n, mainSource.n);
  const selections = plans.map((plan) => ({ plan, ...selectionOf(plan) }));
  for (const { plan, field, columns } of selections)
    validate(field, columns, plan.view);
  validateUnread([mainSource, ...paired], selections);
  const { out, widths } = extractViews(selections, n, which, options.seed);

  const label = mainSource.fields.get("label");
  const files = paired.map((source) => {
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

/** The first n examples of each view, with static binarization drawn once per field. */
function extractViews(
  selections: { plan: Plan; field: Field; columns: number[] }[],
  n: number,
  which: "data" | "test",
  seed: number,
): { out: Map<string, Float32Array>; widths: Map<string, number> } {
  const out = new Map<string, Float32Array>();
  const widths = new Map<string, number>();
  const drawn = new Map<string, Float32Array>();
  for (const { plan, field, columns } of selections) {
    const { view, source } = plan;
    let values = extract(field, columns, n);
    if (view.support === "binary" && source.binarize === "static") {
      // Binarize the whole field once, so two halves of one image share a single draw.
      const key = `${plan.sourceIndex}/${field.name}`;
      let bits = drawn.get(key);
      if (bits === undefined) {
        const s = staticSeed(seed, which, plan.sourceIndex);
        bits = binarizeStatic(field.values.subarray(0, n * field.width), s);
        drawn.set(key, bits);
      }
      values = extract({ ...field, values: bits }, columns, n);
    }
    out.set(view.name, values);
    widths.set(view.name, columns.length);
  }
  return { out, widths };
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
