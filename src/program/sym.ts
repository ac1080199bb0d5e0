// One symbolic value of a program under construction, with the op set as methods so the math
// reads like the formulas (`x.sub(mu).div(sigma).square().mul(-0.5)`); numbers are scalar
// constants. Every method appends one node through its builder, which checks the shapes.
import type { Builder, Operand } from "./builder.js";
import type { NodeSpec, Shape } from "./graph.js";

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
