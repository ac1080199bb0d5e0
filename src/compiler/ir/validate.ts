// Validates an IR document with ajv: the schema, then the cross-references a schema cannot express.
import { Ajv, type ValidateFunction } from "ajv";
import { irSchema } from "./schema.js";
import type { IrModel } from "./types.js";

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

/** Node ids exist and precede their users, widths agree along edges, param slices fit their node. */
function crossReferences(ir: IrModel): string[] {
  const errors: string[] = [];
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
  for (const c of [...ir.priors, ...ir.encoders, ...ir.decoders]) {
    for (const [k, p] of Object.entries(c.dist.params)) {
      if (p.kind !== "net") continue;
      const w = widths.get(p.node);
      if (w === undefined || p.offset + p.width > w)
        errors.push(
          `${c.target}.${k}: slice [${p.offset}, ${p.offset + p.width}) exceeds node ${p.node}`,
        );
    }
  }
  return errors;
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
