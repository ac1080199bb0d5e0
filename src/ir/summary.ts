// A readable summary of an IR model (`vae compile --emit summary`): views, latents, networks,
// distributions, KL choices, β and training settings, with parameter counts.
import type {
  IrComponent,
  IrModel,
  IrNode,
  IrParam,
  IrTensor,
  IrTransform,
} from "./types.js";

function transformText(t: IrTransform): string {
  return t.kind === "identity" ? "" : ` via ${t.kind}`;
}

function paramText(
  p: IrParam,
  nodes: Map<string, IrNode>,
  tensors: Map<string, IrTensor>,
): string {
  if (p.kind === "const") return String(p.value);
  if (p.kind === "learned") {
    const shape = tensors.get(p.tensor)?.shape ?? [];
    return `learned [${shape.join(", ")}]${transformText(p.transform)}`;
  }
  const node = nodes.get(p.node)!;
  const whole = (node.op === "input" ? node.width : node.out) === p.width;
  const slice = whole ? p.node : `${p.node}[${p.offset}:${p.offset + p.width}]`;
  return slice + transformText(p.transform);
}

function componentText(
  c: IrComponent,
  symbol: "p" | "q",
  nodes: Map<string, IrNode>,
  tensors: Map<string, IrTensor>,
): string {
  const given = c.given.length > 0 ? ` | ${c.given.join(", ")}` : "";
  const params = Object.entries(c.dist.params).map(
    ([k, p]) => `${k}: ${paramText(p, nodes, tensors)}`,
  );
  const options = Object.entries(c.dist.options).map(
    ([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(", ")}]` : v}`,
  );
  return `${symbol}(${c.target}${given}) = ${c.dist.name}(${[...params, ...options].join(", ")})`;
}

function nodeText(n: IrNode): string {
  const name = "name" in n && n.name ? `  (${n.name})` : "";
  if (n.op === "input") return `${n.id} = ${n.of}  [${n.width}]`;
  if (n.op === "concat")
    return `${n.id} = concat(${n.inputs.join(", ")})  [${n.out}]${name}`;
  return `${n.id} = ${n.activation}(dense ${n.input}: ${n.in} -> ${n.out})${name}`;
}

/** Learnable floats: the elements of every tensor in `parameters`. */
export function learnableParameterCount(ir: IrModel): number {
  return ir.parameters.reduce(
    (n, t) => n + t.shape.reduce((a, b) => a * b, 1),
    0,
  );
}

const kindText = {
  vae: "VAE (encoder and decoder see the same views)",
  two_view:
    "two-view / information bottleneck (the encoder sees views no decoder explains)",
  multi_view: "multi-view VAE (several decoders)",
};

export function summarize(ir: IrModel): string {
  const nodes = new Map(ir.nodes.map((n) => [n.id, n]));
  const tensors = new Map(ir.parameters.map((t) => [t.name, t]));
  const lines = [
    `model ${ir.model}  (${ir.file})`,
    `  kind: ${kindText[ir.kind]}`,
    "  views:",
  ];
  for (const v of ir.views)
    lines.push(`    ${v.name} : ${v.support}[${v.categories ?? v.width}]`);
  lines.push("  latents:");
  for (const l of ir.latents) lines.push(`    ${l.name} : real[${l.width}]`);
  lines.push("  networks:");
  for (const n of ir.nodes) lines.push(`    ${nodeText(n)}`);
  lines.push("  distributions:");
  for (const c of ir.priors)
    lines.push(`    prior    ${componentText(c, "p", nodes, tensors)}`);
  for (const c of ir.encoders)
    lines.push(`    encoder  ${componentText(c, "q", nodes, tensors)}`);
  for (const c of ir.decoders)
    lines.push(`    decoder  ${componentText(c, "p", nodes, tensors)}`);
  lines.push("  kl:");
  for (const k of ir.kl) {
    const how =
      k.method === "analytic"
        ? "closed form"
        : `Monte Carlo, ${k.samples} sample(s)`;
    lines.push(
      `    ${k.latent}: ${how} (requested ${k.requested}; ${k.posterior} ‖ ${k.prior})`,
    );
  }
  const b = ir.beta;
  const beta =
    b.schedule === "constant"
      ? `${b.value}`
      : b.schedule === "warmup"
        ? `warm-up ${b.from} -> ${b.to} over ${b.epochs} epoch(s)`
        : `cyclical ${b.from} -> ${b.to}, period ${b.period} epoch(s), ramp ${b.ramp}`;
  lines.push(`  beta: ${beta}`);
  lines.push(
    `  learnable parameters: ${learnableParameterCount(ir).toLocaleString("en-US")}`,
  );
  if (ir.train) {
    const t = ir.train;
    const { name, ...hyper } = t.optimizer;
    const src = (s: NonNullable<typeof t.test>) =>
      Object.entries(s)
        .filter(([k]) => k !== "span" && k !== "kind")
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join(", ");
    lines.push("  train:");
    lines.push(
      `    data: ${t.data.kind}(${src(t.data)})${t.test ? `, test: ${t.test.kind}(${src(t.test)})` : ""}`,
    );
    for (const v of t.views)
      lines.push(
        `    view ${v.view} <- ${v.file ? `${v.file.kind}(${src(v.file)}) ` : ""}${v.field}${v.select.kind === "all" ? "" : v.select.kind === "columns" ? ` columns ${v.select.from}..${v.select.to}` : ` ${v.select.kind}`}`,
      );
    lines.push(
      `    optimizer: ${name}(${Object.entries(hyper)
        .map(([k, v]) => `${k}: ${v}`)
        .join(", ")}), batch ${t.batch}, epochs ${t.epochs}, seed ${t.seed}`,
    );
  } else lines.push("  train: (no train block)");
  return lines.join("\n");
}
