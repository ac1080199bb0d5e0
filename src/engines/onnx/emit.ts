// Emits a tensor program (src/program/graph.ts) as an ONNX model: ir_version 8, opset 17 of the
// default domain. The graph's inputs are the program's inputs and params (float32, static shapes),
// its outputs the program's outputs (each through an Identity, so one value may be returned under
// several names, or a graph input returned as an output), its constants float32 initializers.
// Each computed node becomes one or a few ONNX nodes (src/engines/onnx/ops.ts).
import onnxProto from "onnx-proto";
import type { Program, Shape } from "../../program/graph.js";
import { emitNode, type Attribute, type GraphSink } from "./ops.js";

const { onnx } = onnxProto;
type AttributeMessage = InstanceType<typeof onnx.AttributeProto>;

const IR_VERSION = 8;
const OPSET = 17;

/** A float32 tensor type of a static shape, for graph inputs and outputs. */
function valueInfo(
  name: string,
  shape: Shape,
): InstanceType<typeof onnx.ValueInfoProto> {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: shape.map((d) => ({ dimValue: d })) },
      },
    },
  });
}

function attribute(name: string, a: Attribute): AttributeMessage {
  const T = onnx.AttributeProto.AttributeType;
  if ("int" in a)
    return onnx.AttributeProto.create({ name, type: T.INT, i: a.int });
  if ("float" in a)
    return onnx.AttributeProto.create({ name, type: T.FLOAT, f: a.float });
  return onnx.AttributeProto.create({ name, type: T.INTS, ints: [...a.ints] });
}

/** Row-major float32 values as little-endian raw bytes (the wire form of TensorProto.raw_data). */
function rawFloat32(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(4 * values.length);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return bytes;
}

/** The graph under construction: nodes, initializers, fresh names, shared int64 constants. */
class GraphBuilder implements GraphSink {
  readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly shared = new Map<string, string>();
  private count = 0;

  fresh(): string {
    return `_t${this.count++}`;
  }

  node(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, Attribute>> = {},
    outputs: readonly string[] = [this.fresh()],
  ): string[] {
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        name: `${opType}_${this.nodes.length}`,
        input: [...inputs],
        output: [...outputs],
        attribute: Object.entries(attributes).map(([k, a]) => attribute(k, a)),
      }),
    );
    return [...outputs];
  }

  floats(name: string, shape: Shape, values: readonly number[]): string {
    this.initializers.push(
      onnx.TensorProto.create({
        name,
        dims: [...shape],
        dataType: onnx.TensorProto.DataType.FLOAT,
        rawData: rawFloat32(values),
      }),
    );
    return name;
  }

  ints(values: readonly number[]): string {
    return this.once(`i64:${values.join(",")}`, (name) =>
      this.initializers.push(
        onnx.TensorProto.create({
          name,
          dims: [values.length],
          dataType: onnx.TensorProto.DataType.INT64,
          int64Data: [...values],
        }),
      ),
    );
  }

  scalar(value: number): string {
    return this.once(`f32:${Math.fround(value)}`, (name) =>
      this.floats(name, [], [value]),
    );
  }

  /** The name of the initializer made for `key`, made once. */
  private once(key: string, make: (name: string) => void): string {
    let name = this.shared.get(key);
    if (name === undefined) {
      name = this.fresh();
      this.shared.set(key, name);
      make(name);
    }
    return name;
  }
}

/** The ONNX ModelProto of `program`, serialized. */
export function emitOnnx(
  program: Program,
  opts: { name?: string } = {},
): Uint8Array {
  const g = new GraphBuilder();
  const names: string[] = [];
  const ports = [...program.inputs, ...program.params];
  for (const p of ports) names[p.id] = p.name;
  for (const n of program.nodes) {
    if (n.op === "input" || n.op === "param") continue;
    if (n.op === "const") {
      names[n.id] = g.floats(g.fresh(), n.shape, n.value);
      continue;
    }
    const xs = n.inputs.map((i) => names[i]!);
    const shapes = n.inputs.map((i) => program.nodes[i]!.shape);
    names[n.id] = emitNode(g, n, xs, shapes);
  }
  for (const o of program.outputs)
    g.node("Identity", [names[o.id]!], {}, [o.name]);
  const graph = onnx.GraphProto.create({
    name: opts.name ?? "program",
    node: g.nodes,
    initializer: g.initializers,
    input: ports.map((p) => valueInfo(p.name, p.shape)),
    output: program.outputs.map((p) => valueInfo(p.name, p.shape)),
  });
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: "vaec",
    opsetImport: [{ domain: "", version: OPSET }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}
