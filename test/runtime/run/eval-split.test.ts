// `vae eval` says which split it evaluated: the test set by default when the model has one, the
// training data otherwise or on request; asking for a test set the model lacks is an IoError.
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { IoError } from "../../../src/runtime/io/files.js";
import { evalRun, trainRun } from "../../../src/runtime/run/runs.js";
import { writeFixture } from "./fixture.js";

const runs: Record<"with" | "without", string> = { with: "", without: "" };

beforeAll(async () => {
  for (const kind of ["with", "without"] as const) {
    const spec = writeFixture({ test: kind === "with" });
    runs[kind] = join(dirname(spec), "run");
    await trainRun({
      file: spec,
      model: "m",
      out: runs[kind],
      epochs: 1,
      backend: "cpu",
      log: () => {},
    });
  }
}, 120_000);

describe("vae eval's split", () => {
  // The fixture's training data has 80 rows and its test set 30: n tells which was read.
  const table: Array<
    ["with" | "without", "test" | "data" | undefined, string, number]
  > = [
    ["with", undefined, "test", 30],
    ["with", "test", "test", 30],
    ["with", "data", "train", 80],
    ["without", undefined, "train", 80],
    ["without", "data", "train", 80],
  ];
  for (const [kind, split, used, n] of table)
    it(`${kind} a test set, --split ${split ?? "(not given)"}: evaluates ${used}`, async () => {
      const r = await evalRun(runs[kind], {
        iw: 0,
        backend: "cpu",
        ...(split ? { split } : {}),
      });
      expect([r.split, r.n]).toEqual([used, n]);
    });

  it("refuses --split test on a model without a test set", async () => {
    const err = await evalRun(runs.without, {
      split: "test",
      iw: 0,
      backend: "cpu",
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IoError);
    expect((err as Error).message).toBe(
      `${runs.without}: model m has no test set (its train block has no \`test = ...\`); evaluate the training data with --split train`,
    );
  });
});
