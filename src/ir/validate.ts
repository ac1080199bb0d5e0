// Validates an IR document with ajv: the schema, then the cross-references a schema cannot express.
import { Ajv, type ValidateFunction } from "ajv";
import { findFamily } from "./families.js";
import { irSchema } from "./schema.js";
import type { IrComponent, IrModel, IrTensor } from "./types.js";

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  compiled ??= new Ajv({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    inlineRefs: false,
  }).compile(irSchema);
  return compiled;
}

const shapeText = (shape: readonly number[]): string => `[${shape.join(", ")}]`;

/** Names every learned tensor once; checks a reference to one names it with an allowed shape. */
class TensorTable {
  readonly errors: string[] = [];
  private readonly byName = new Map<string, IrTensor>();
  private readonly used = new Set<string>();

  constructor(parameters: readonly IrTensor[]) {
    for (const t of parameters) {
      if (this.byName.has(t.name))
        this.errors.push(`parameter ${t.name} is listed twice`);
      this.byName.set(t.name, t);
    }
  }

  /** `who` reads tensor `name`, which must have one of the `allowed` shapes. */
  use(who: string, name: string, allowed: readonly number[][]): void {
    this.used.add(name);
    const t = this.byName.get(name);
    if (t === undefined) {
      this.errors.push(`${who} names ${name}, which is not in parameters`);
      return;
    }
    const text = shapeText(t.shape);
    if (!allowed.some((s) => shapeText(s) === text))
      this.errors.push(
        `${who}: ${name} has shape ${text}, expected ${allowed.map(shapeText).join(" or ")}`,
      );
  }

  unused(): string[] {
    return [...this.byName.keys()]
      .filter((n) => !this.used.has(n))
      .map((n) => `parameter ${n} is used by nothing`);
  }
}

/** Node ids exist and precede their users, widths agree along edges, dense tensors fit their node. */
function nodeReferences(
  ir: IrModel,
  tensors: TensorTable,
  errors: string[],
): Map<string, number> {
  const widths = new Map<string, number>();
  const names = new Set([
    ...ir.views.map((v) => v.name),
    ...ir.latents.map((l) => l.name),
  ]);
  for (const n of ir.nodes) {
    if (n.op === "input") {
      if (!names.has(n.of)) errors.push(`node ${n.id} reads unknown ${n.of}`);
      widths.set(n.id, n.width);
    } else if (n.op === "dense") {
      if (widths.get(n.input) !== n.in)
        errors.push(
          `node ${n.id}: input ${n.input} does not have width ${n.in}`,
        );
      tensors.use(`node ${n.id}`, n.kernel, [[n.in, n.out]]);
      tensors.use(`node ${n.id}`, n.bias, [[n.out]]);
      widths.set(n.id, n.out);
    } else {
      const sum = n.inputs.reduce((s, i) => s + (widths.get(i) ?? NaN), 0);
      if (sum !== n.out)
        errors.push(
          `node ${n.id}: concat width ${n.out} is not the sum of its inputs`,
        );
      widths.set(n.id, n.out);
    }
  }
  return widths;
}

/** The event size of a component's target: a latent's width, a view's classes or width. */
function targetSize(ir: IrModel, target: string): number | undefined {
  const latent = ir.latents.find((l) => l.name === target);
  if (latent) return latent.width;
  const view = ir.views.find((v) => v.name === target);
  return view === undefined ? undefined : (view.categories ?? view.width);
}

/** The shapes a learned parameter may have: its family's own tensors exactly, else [1, 1] or [1, d]. */
function learnedShapes(c: IrComponent, param: string): number[][] {
  const own = findFamily(c.dist.family)
    ?.implicit?.(c.size, c.dist.options)
    .find((t) => t.param === param);
  return own
    ? [own.shape]
    : [
        [1, 1],
        [1, c.size],
      ];
}

/** Param slices fit their node, learned params name a tensor of the right shape, sizes agree. */
function componentReferences(
  ir: IrModel,
  widths: Map<string, number>,
  tensors: TensorTable,
  errors: string[],
): void {
  for (const c of [...ir.priors, ...ir.encoders, ...ir.decoders]) {
    const size = targetSize(ir, c.target);
    if (size !== c.size)
      errors.push(
        `${c.target}: size ${c.size} is not the event size of ${c.target} (${size ?? "unknown"})`,
      );
    for (const [k, p] of Object.entries(c.dist.params)) {
      if (p.kind === "learned")
        tensors.use(`${c.target}.${k}`, p.tensor, learnedShapes(c, k));
      if (p.kind !== "net") continue;
      const w = widths.get(p.node);
      if (w === undefined || p.offset + p.width > w)
        errors.push(
          `${c.target}.${k}: slice [${p.offset}, ${p.offset + p.width}) exceeds node ${p.node}`,
        );
    }
  }
}

function crossReferences(ir: IrModel): string[] {
  const errors: string[] = [];
  const tensors = new TensorTable(ir.parameters);
  const widths = nodeReferences(ir, tensors, errors);
  componentReferences(ir, widths, tensors, errors);
  return [...errors, ...tensors.errors, ...tensors.unused()];
}

/** Empty when `doc` is a valid IR; otherwise one readable line per problem. */
export function validateIr(doc: unknown): string[] {
  const validate = schemaValidator();
  if (!validate(doc))
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`,
    );
  return crossReferences(doc as IrModel);
}

export function isIr(doc: unknown): doc is IrModel {
  return validateIr(doc).length === 0;
}
