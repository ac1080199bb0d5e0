// The IR's cross-references (src/ir/validate.ts): each edit below breaks exactly one promise a
// schema cannot state, and validation names it. The unedited IR is valid, so every error below
// comes from its edit.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/driver.js";
import type { IrModel } from "../../src/ir/types.js";
import { validateIr } from "../../src/ir/validate.js";

const spec = `model m {
  data x : real[6]
  latent z : real[3]
  prior p(z) = GaussianMixture(components: 4)
  encoder q(z | x) = DiagNormal(mlp(x, [5], relu))
  decoder p(x | z) = Normal(loc: linear(z), scale: learned)
}`;
const ir = compile(spec, "m.vae").models[0]!;

function errorsAfter(edit: (doc: IrModel) => void): string[] {
  const doc = structuredClone(ir);
  edit(doc);
  return validateIr(doc);
}

const dense = (doc: IrModel) =>
  doc.nodes.flatMap((n) => (n.op === "dense" ? [n] : []));

describe("validateIr cross-references", () => {
  it("accepts the compiled IR", () => {
    expect(validateIr(ir)).toEqual([]);
  });

  it("refuses IR version 1", () => {
    expect(
      errorsAfter((d) => void ((d as { irVersion: number }).irVersion = 1)),
    ).toEqual(["/irVersion must be equal to constant"]);
  });

  it("names a dense kernel that is not in parameters", () => {
    expect(
      errorsAfter((d) => {
        dense(d)[0]!.kernel = "n9.kernel";
      }),
    ).toEqual([
      `node ${dense(ir)[0]!.id} names n9.kernel, which is not in parameters`,
      `parameter ${dense(ir)[0]!.kernel} is used by nothing`,
    ]);
  });

  it("names a kernel of the wrong shape", () => {
    const n = dense(ir)[0]!;
    expect(
      errorsAfter((d) => {
        d.parameters.find((t) => t.name === n.kernel)!.shape = [n.out, n.in];
      }),
    ).toEqual([
      `node ${n.id}: ${n.kernel} has shape [${n.out}, ${n.in}], expected [${n.in}, ${n.out}]`,
    ]);
  });

  it("names a parameter listed twice, and one used by nothing", () => {
    expect(
      errorsAfter((d) => d.parameters.push({ ...d.parameters[0]! })),
    ).toEqual([`parameter ${ir.parameters[0]!.name} is listed twice`]);
    expect(
      errorsAfter((d) =>
        d.parameters.push({
          name: "prior.z.extra",
          shape: [1, 3],
          init: { kind: "constant", value: 0 },
        }),
      ),
    ).toEqual(["parameter prior.z.extra is used by nothing"]);
  });

  it("checks a learned parameter's shape: [1, 1] or [1, d], a family's own tensors exactly", () => {
    expect(
      errorsAfter((d) => {
        d.parameters.find((t) => t.name === "decoder.x.scale")!.shape = [1, 5];
      }),
    ).toEqual([
      "x.scale: decoder.x.scale has shape [1, 5], expected [1, 1] or [1, 6]",
    ]);
    expect(
      errorsAfter((d) => {
        d.parameters.find((t) => t.name === "prior.z.loc")!.shape = [1, 3];
      }),
    ).toEqual(["z.loc: prior.z.loc has shape [1, 3], expected [4, 3]"]);
  });

  it("names a learned parameter whose tensor is missing", () => {
    expect(
      errorsAfter((d) => {
        d.parameters = d.parameters.filter((t) => t.name !== "prior.z.logits");
      }),
    ).toEqual(["z.logits names prior.z.logits, which is not in parameters"]);
  });

  it("checks a component's size against its target", () => {
    expect(
      errorsAfter((d) => {
        d.decoders[0]!.size = 5;
      }),
    ).toContain("x: size 5 is not the event size of x (6)");
  });

  it("refuses a parameter without its transform, and an optimizer without its defaults", () => {
    expect(
      errorsAfter((d) => {
        const loc = d.encoders[0]!.dist.params["loc"] as Record<
          string,
          unknown
        >;
        delete loc["transform"];
      }).length,
    ).toBeGreaterThan(0);
    const trained = compile(
      `${spec}\ntrain m { data = csv(path: "x.csv") optimizer = sgd(lr: 0.1) }`,
      "m.vae",
    ).models[0]!;
    expect(validateIr(trained)).toEqual([]);
    const partial = structuredClone(trained);
    delete (partial.train!.optimizer as Record<string, unknown>)["momentum"];
    expect(validateIr(partial).length).toBeGreaterThan(0);
  });
});
