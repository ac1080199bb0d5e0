// Builds a tensor program. `Sym` is one symbolic value with the op set as methods, so the math
// reads like the formulas (`x.sub(mu).div(sigma).square().mul(-0.5)`); numbers are scalar
// constants. The builder checks shapes as it goes, shares identical scalar constants, and
// `build` keeps only the nodes the outputs need.
import type { Node, NodeSpec, Port, Program, Shape } from "./graph.js";
import { ProgramError, inferShape } from "./shapes.js";

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

/** One value of a program under construction. */
export class Sym {
  constructor(
    readonly builder: Builder,
    readonly id: number,
    readonly shape: Shape,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  private un(spec: NodeSpec): Sym {
    return this.builder.node(spec, [this]);
  }
  private bin(
    op: "add" | "sub" | "mul" | "div" | "less" | "greater" | "equal",
    y: Operand,
  ): Sym {
    return this.builder.node({ op }, [this, this.builder.lift(y)]);
  }

  add(y: Operand): Sym {
    return this.bin("add", y);
  }
  sub(y: Operand): Sym {
    return this.bin("sub", y);
  }
  mul(y: Operand): Sym {
    return this.bin("mul", y);
  }
  div(y: Operand): Sym {
    return this.bin("div", y);
  }
  less(y: Operand): Sym {
    return this.bin("less", y);
  }
  greater(y: Operand): Sym {
    return this.bin("greater", y);
  }
  equal(y: Operand): Sym {
    return this.bin("equal", y);
  }

  neg(): Sym {
    return this.un({ op: "neg" });
  }
  exp(): Sym {
    return this.un({ op: "exp" });
  }
  log(): Sym {
    return this.un({ op: "log" });
  }
  log1p(): Sym {
    return this.un({ op: "log1p" });
  }
  expm1(): Sym {
    return this.un({ op: "expm1" });
  }
  softplus(): Sym {
    return this.un({ op: "softplus" });
  }
  sigmoid(): Sym {
    return this.un({ op: "sigmoid" });
  }
  tanh(): Sym {
    return this.un({ op: "tanh" });
  }
  relu(): Sym {
    return this.un({ op: "relu" });
  }
  elu(): Sym {
    return this.un({ op: "elu" });
  }
  square(): Sym {
    return this.un({ op: "square" });
  }
  sqrt(): Sym {
    return this.un({ op: "sqrt" });
  }
  abs(): Sym {
    return this.un({ op: "abs" });
  }
  sign(): Sym {
    return this.un({ op: "sign" });
  }
  reciprocal(): Sym {
    return this.un({ op: "reciprocal" });
  }
  stopGradient(): Sym {
    return this.un({ op: "stop_gradient" });
  }
  leakyRelu(alpha: number): Sym {
    return this.un({ op: "leaky_relu", alpha });
  }
  clip(min: number, max: number): Sym {
    return this.un({ op: "clip", min, max });
  }

  /** where(this ≠ 0, a, b). */
  select(a: Operand, b: Operand): Sym {
    return this.builder.node({ op: "where" }, [
      this,
      this.builder.lift(a),
      this.builder.lift(b),
    ]);
  }

  matmul(y: Sym, flags: { transA?: boolean; transB?: boolean } = {}): Sym {
    return this.builder.node(
      {
        op: "matmul",
        transA: flags.transA ?? false,
        transB: flags.transB ?? false,
      },
      [this, y],
    );
  }

  private reduce(
    op: "sum" | "mean" | "max" | "logsumexp",
    axes?: number | readonly number[],
    keepDims = false,
  ): Sym {
    const list =
      axes === undefined
        ? this.shape.map((_, i) => i)
        : typeof axes === "number"
          ? [axes]
          : [...axes];
    return this.un({
      op,
      axes: list.map((a) => (a < 0 ? a + this.rank : a)),
      keepDims,
    });
  }
  /** Sums over `axes` (all when omitted; negative axes count from the end). */
  sum(axes?: number | readonly number[], keepDims = false): Sym {
    return this.reduce("sum", axes, keepDims);
  }
  mean(axes?: number | readonly number[], keepDims = false): Sym {
    return this.reduce("mean", axes, keepDims);
  }
  max(axes?: number | readonly number[], keepDims = false): Sym {
    return this.reduce("max", axes, keepDims);
  }
  /** log Σ exp over `axes`, computed stably by the engines. */
  logsumexp(axes?: number | readonly number[], keepDims = false): Sym {
    return this.reduce("logsumexp", axes, keepDims);
  }
  argmax(axis: number): Sym {
    return this.un({ op: "argmax", axis: axis < 0 ? axis + this.rank : axis });
  }

  reshape(shape: Shape): Sym {
    return this.un({ op: "reshape", shape: [...shape] });
  }
  slice(begin: readonly number[], size: readonly number[]): Sym {
    // A size of −1 runs to the end of the axis.
    const sz = size.map((s, i) => (s < 0 ? this.shape[i]! - begin[i]! : s));
    return this.un({ op: "slice", begin: [...begin], size: sz });
  }
  /** Columns [from, from + width) of a 2-D value. */
  columns(from: number, width: number): Sym {
    if (from === 0 && width === this.shape[1]) return this;
    return this.slice([0, from], [this.shape[0]!, width]);
  }
  tile(reps: readonly number[]): Sym {
    return this.un({ op: "tile", reps: [...reps] });
  }
  transpose(perm?: readonly number[]): Sym {
    return this.un({
      op: "transpose",
      perm: perm ? [...perm] : this.shape.map((_, i) => this.rank - 1 - i),
    });
  }
  broadcastTo(shape: Shape): Sym {
    if (
      shape.length === this.rank &&
      shape.every((d, i) => d === this.shape[i])
    )
      return this;
    return this.un({ op: "broadcast", shape: [...shape] });
  }

  /** log softmax along `axis`: x − logsumexp(x). */
  logSoftmax(axis = -1): Sym {
    return this.sub(this.logsumexp(axis, true));
  }
  softmax(axis = -1): Sym {
    return this.logSoftmax(axis).exp();
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
