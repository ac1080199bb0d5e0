// The IR's network nodes as program ops: dense layers (y = x W + b, W [in, out], as PyTorch's
// nn.Linear stores Wᵀ) with their activation, and concatenation. One pass evaluates each node
// at most once, on the values bound to the views or latents it reads.
import type { IrModel, IrNode } from "../../ir/types.js";
import { concat, type Builder, type Sym } from "../builder.js";

/** Every activation the language offers, once (`linear`: none). */
export const activations: Record<string, (x: Sym) => Sym> = {
  linear: (x) => x,
  relu: (x) => x.relu(),
  leaky_relu: (x) => x.leakyRelu(0.01),
  elu: (x) => x.elu(),
  tanh: (x) => x.tanh(),
  sigmoid: (x) => x.sigmoid(),
  softplus: (x) => x.softplus(),
};

export function activate(x: Sym, activation: string): Sym {
  const f = activations[activation];
  if (f === undefined) throw new Error(`unknown activation '${activation}'`);
  return f(x);
}

/** The learned tensors of a model as program params, by IR name. */
export function paramOf(b: Builder, ir: IrModel): (name: string) => Sym {
  const shapes = new Map(ir.parameters.map((p) => [p.name, p.shape]));
  return (name) => {
    const shape = shapes.get(name);
    if (shape === undefined)
      throw new Error(`the IR lists no parameter '${name}'`);
    return b.param(name, shape);
  };
}

/** Evaluates network nodes on demand for one pass; `env` binds views or latents to values. */
export class NetworkPass {
  private readonly memo = new Map<string, Sym>();

  constructor(
    private readonly nodes: ReadonlyMap<string, IrNode>,
    private readonly env: ReadonlyMap<string, Sym>,
    private readonly param: (name: string) => Sym,
  ) {}

  node(id: string): Sym {
    const hit = this.memo.get(id);
    if (hit !== undefined) return hit;
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`no network node '${id}'`);
    let out: Sym;
    if (n.op === "input") {
      const bound = this.env.get(n.of);
      if (bound === undefined)
        throw new Error(
          `node ${id} reads '${n.of}', which this pass does not bind`,
        );
      out = bound;
    } else if (n.op === "concat")
      out = concat(
        n.inputs.map((i) => this.node(i)),
        1,
      );
    else {
      const x = this.node(n.input);
      const y = x.matmul(this.param(n.kernel)).add(this.param(n.bias));
      out = activate(y, n.activation);
    }
    this.memo.set(id, out);
    return out;
  }
}
