// Builds a tensor program. `Sym` is one symbolic value with the op set as methods, so the math
// reads like the formulas (`x.sub(mu).div(sigma).square().mul(-0.5)`); numbers are scalar
// constants. The builder checks shapes as it goes, shares identical scalar constants, and
// `build` keeps only the nodes the outputs need.
import type { Node, NodeSpec, Port, Program, Shape } from "./graph.js";
import { ProgramError, inferShape } from "./shapes.js";
import { Sym } from "./sym.js";

export { Sym };

export type Operand = Sym | number;

export class Builder {
  readonly nodes: Node[] = [];
  private readonly inputs = new Map<string, Port>();
  private readonly params = new Map<string, Port>();
  private readonly scalars = new Map<number, Sym>();

  /** Appends a node (the op's shape rule checks its inputs) and returns its value. */
  node(spec: NodeSpec, inputs: readonly Sym[]): Sym {
    for (const x of inputs)
      if (x.builder !== this)
        throw new ProgramError("a value of another program was used");
    const shape = inferShape(
      spec,
      inputs.map((x) => x.shape),
    );
    return this.push(spec, inputs, shape);
  }

  private push(spec: NodeSpec, inputs: readonly Sym[], shape: Shape): Sym {
    const id = this.nodes.length;
    this.nodes.push({
      ...spec,
      id,
      inputs: inputs.map((x) => x.id),
      shape,
    } as Node);
    return new Sym(this, id, shape);
  }

  /** A value fed at run time. Asking twice for a name returns the same value (shapes must agree). */
  input(name: string, shape: Shape): Sym {
    return this.leaf(this.inputs, { op: "input", name }, shape);
  }

  /** A learned tensor, named as in the IR's `parameters`. */
  param(name: string, shape: Shape): Sym {
    return this.leaf(this.params, { op: "param", name }, shape);
  }

  private leaf(
    table: Map<string, Port>,
    spec: { op: "input" | "param"; name: string },
    shape: Shape,
  ): Sym {
    const hit = table.get(spec.name);
    if (hit !== undefined) {
      if (hit.shape.join() !== shape.join())
        throw new ProgramError(
          `${spec.op} '${spec.name}' asked for as [${shape.join(", ")}] and [${hit.shape.join(", ")}]`,
        );
      return new Sym(this, hit.id, hit.shape);
    }
    const s = this.push(spec, [], [...shape]);
    table.set(spec.name, { name: spec.name, id: s.id, shape: s.shape });
    return s;
  }

  /** A constant: a number is a scalar (shape []); an array needs its shape. */
  constant(value: number | readonly number[], shape?: Shape): Sym {
    if (typeof value === "number" && shape === undefined) {
      const hit = this.scalars.get(value);
      if (hit !== undefined && !Object.is(value, -0)) return hit;
      const s = this.push({ op: "const", value: [value] }, [], []);
      this.scalars.set(value, s);
      return s;
    }
    const values = typeof value === "number" ? [value] : [...value];
    const dims = shape ?? [values.length];
    if (dims.reduce((a, b) => a * b, 1) !== values.length)
      throw new ProgramError(
        `constant of ${values.length} values cannot have shape [${dims.join(", ")}]`,
      );
    return this.push({ op: "const", value: values }, [], [...dims]);
  }

  /** A number or a value, as a value of this program. */
  lift(x: Operand): Sym {
    return typeof x === "number" ? this.constant(x) : x;
  }

  /** The program computing `outputs`, with only the nodes they depend on (ids renumbered). */
  build(outputs: Record<string, Sym>): Program {
    const needed = new Set<number>();
    const stack = Object.values(outputs).map((s) => s.id);
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (needed.has(id)) continue;
      needed.add(id);
      stack.push(...this.nodes[id]!.inputs);
    }
    const renumber = new Map<number, number>();
    const nodes: Node[] = [];
    for (const n of this.nodes) {
      if (!needed.has(n.id)) continue;
      renumber.set(n.id, nodes.length);
      nodes.push({
        ...n,
        id: nodes.length,
        inputs: n.inputs.map((i) => renumber.get(i)!),
      });
    }
    const ports = (table: Map<string, Port>): Port[] =>
      [...table.values()]
        .filter((p) => needed.has(p.id))
        .map((p) => ({ ...p, id: renumber.get(p.id)! }));
    return {
      nodes,
      inputs: ports(this.inputs),
      params: ports(this.params),
      outputs: Object.entries(outputs).map(([name, s]) => ({
        name,
        id: renumber.get(s.id)!,
        shape: s.shape,
      })),
    };
  }
}

/** Concatenation along `axis`; one input is returned as is. */
export function concat(xs: readonly Sym[], axis: number): Sym {
  if (xs.length === 1) return xs[0]!;
  const b = xs[0]?.builder;
  if (b === undefined) throw new ProgramError("concat of no values");
  return b.node(
    { op: "concat", axis: axis < 0 ? axis + xs[0]!.rank : axis },
    xs,
  );
}

/** Sum of values of broadcastable shapes. */
export function addAll(xs: readonly Sym[]): Sym {
  if (xs.length === 0) throw new ProgramError("sum of no values");
  return xs.slice(1).reduce((acc, x) => acc.add(x), xs[0]!);
}
