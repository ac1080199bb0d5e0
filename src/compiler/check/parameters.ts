// The IR's learned tensors: every dense layer's kernel and bias, every `learned` distribution
// parameter, and the tensors a family has of its own (a mixture prior's), each with its shape and
// raw initial value; and the transform that constrains each distribution parameter.
import {
  paramTransform,
  rawValue,
  type DistOptions,
  type DistSpec,
  type Role,
} from "../../ir/families.js";
import type { IrComponent, IrNode, IrParam, IrTensor } from "../../ir/types.js";

/** A parameter as bound from the source, before its transform and tensor are decided. */
export type BoundParam =
  | { kind: "net"; node: string; offset: number; width: number }
  | { kind: "const"; value: number }
  /** `init` is the constrained initial value (a scale's σ), as the source writes it. */
  | { kind: "learned"; shape: "scalar" | "per_dim"; init: number };

/** The role a component's tensors are named by (`decoder.x.scale`): a likelihood is a decoder. */
const tensorRole: Record<Role, "prior" | "encoder" | "decoder"> = {
  prior: "prior",
  encoder: "encoder",
  likelihood: "decoder",
};

export interface FinishedParams {
  params: Record<string, IrParam>;
  /** The learned tensors the params name, in the params' order. */
  tensors: IrTensor[];
}

/**
 * Gives every bound parameter its transform under the call's options, turns `learned` into a
 * named tensor [1, 1] (scalar) or [1, d] (per_dim) starting at the raw value whose transform is
 * the written init, and adds the family's own tensors (a mixture prior's weights, means, scales).
 */
export function finishParams(
  spec: DistSpec,
  role: Role,
  target: { name: string; width: number },
  bound: Record<string, BoundParam>,
  options: DistOptions,
): FinishedParams {
  const prefix = `${tensorRole[role]}.${target.name}`;
  const d = target.width;
  const params: Record<string, IrParam> = {};
  const tensors: IrTensor[] = [];
  for (const [name, p] of Object.entries(bound)) {
    const param = spec.params.find((s) => s.name === name)!;
    const transform = paramTransform(param, options);
    if (p.kind === "const") params[name] = p;
    else if (p.kind === "net") params[name] = { ...p, transform };
    else {
      const tensor = `${prefix}.${name}`;
      params[name] = { kind: "learned", tensor, transform };
      tensors.push({
        name: tensor,
        shape: p.shape === "scalar" ? [1, 1] : [1, d],
        init: { kind: "constant", value: rawValue(transform, p.init) },
      });
    }
  }
  for (const own of spec.implicit?.(d, options) ?? []) {
    const tensor = `${prefix}.${own.param}`;
    params[own.param] = { kind: "learned", tensor, transform: own.transform };
    tensors.push({ name: tensor, shape: own.shape, init: own.init });
  }
  return { params, tensors };
}

/** Kernel [in, out] and bias [out] of each dense node, in node order, as PyTorch's nn.Linear: U(−1/√in, 1/√in). */
export function denseTensors(nodes: readonly IrNode[]): IrTensor[] {
  return nodes.flatMap((n): IrTensor[] => {
    if (n.op !== "dense") return [];
    const bound = 1 / Math.sqrt(n.in);
    const init = { kind: "uniform", low: -bound, high: bound } as const;
    return [
      { name: n.kernel, shape: [n.in, n.out], init },
      { name: n.bias, shape: [n.out], init },
    ];
  });
}

/**
 * The IR's `parameters`: dense tensors in node order, then the distribution tensors of the
 * components in the order given (priors, encoders, decoders), each in its params' order.
 */
export function parameterList(
  nodes: readonly IrNode[],
  components: readonly IrComponent[],
  tensors: ReadonlyMap<string, IrTensor>,
): IrTensor[] {
  const own = components.flatMap((c) =>
    Object.values(c.dist.params).flatMap((p) =>
      p.kind === "learned" ? [tensors.get(p.tensor)!] : [],
    ),
  );
  return [...denseTensors(nodes), ...own];
}
