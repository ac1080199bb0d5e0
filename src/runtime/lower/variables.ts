// Creates the model's trainable variables from the IR with seeded initialisation: dense layers as
// PyTorch's nn.Linear does (weights and biases U(−1/√in, 1/√in)), learned distribution parameters
// from their `init`, mixture priors with means spread by a seeded N(0, 1) draw.
import * as tf from "@tensorflow/tfjs";
import type { IrComponent, IrModel } from "../../compiler/ir/types.js";
import { deriveSeed, Stream } from "./seeds.js";

export interface NamedVariable {
  name: string;
  variable: tf.Variable;
}

/** The raw (unconstrained) value whose constrained value is `init` for this parameter. */
export function rawInit(
  paramName: string,
  init: number,
  scaleHead: string,
): number {
  if (paramName !== "scale") return init;
  return scaleHead === "logvar"
    ? 2 * Math.log(init)
    : Math.log(Math.expm1(init));
}

function widthOf(ir: IrModel, target: string): number {
  const latent = ir.latents.find((l) => l.name === target);
  if (latent) return latent.width;
  const view = ir.views.find((v) => v.name === target)!;
  return view.categories ?? view.width;
}

/** tfjs variable names are global to the engine: a counter keeps several models apart. */
let created = 0;

export function createVariables(
  ir: IrModel,
  seed: number,
): Map<string, tf.Variable> {
  const vars = new Map<string, tf.Variable>();
  let index = 0;
  const add = (name: string, value: tf.Tensor): void => {
    vars.set(
      name,
      tf.variable(
        value,
        true,
        `${name.replace(/[^A-Za-z0-9_]/g, "_")}_${created++}`,
      ),
    );
  };
  for (const node of ir.nodes) {
    if (node.op !== "dense") continue;
    const bound = 1 / Math.sqrt(node.in);
    add(
      `${node.id}.kernel`,
      tf.randomUniform(
        [node.in, node.out],
        -bound,
        bound,
        "float32",
        deriveSeed(seed, Stream.init, index++),
      ),
    );
    add(
      `${node.id}.bias`,
      tf.randomUniform(
        [node.out],
        -bound,
        bound,
        "float32",
        deriveSeed(seed, Stream.init, index++),
      ),
    );
  }
  const components: Array<[string, IrComponent]> = [
    ...ir.priors.map((c): [string, IrComponent] => ["prior", c]),
    ...ir.encoders.map((c): [string, IrComponent] => ["encoder", c]),
    ...ir.decoders.map((c): [string, IrComponent] => ["decoder", c]),
  ];
  for (const [role, c] of components) {
    const d = widthOf(ir, c.target);
    const head = String(c.dist.options["scale_head"] ?? "softplus");
    for (const [name, p] of Object.entries(c.dist.params)) {
      if (p.kind !== "learned") continue;
      const shape = p.shape === "scalar" ? [1, 1] : [1, d];
      add(
        `${role}.${c.target}.${name}`,
        tf.fill(shape, rawInit(name, p.init, head)),
      );
    }
    if (c.dist.family === "mixture_normal") {
      const k = c.dist.options["components"] as number;
      add(`${role}.${c.target}.logits`, tf.zeros([1, k]));
      add(
        `${role}.${c.target}.loc`,
        tf.randomNormal(
          [k, d],
          0,
          1,
          "float32",
          deriveSeed(seed, Stream.init, index++),
        ),
      );
      add(
        `${role}.${c.target}.scale`,
        tf.fill([k, d], rawInit("scale", 1, "softplus")),
      );
    }
  }
  return vars;
}
