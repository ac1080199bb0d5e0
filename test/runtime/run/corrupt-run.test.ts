// Edited or corrupted run directories: every damaged checkpoint byte, every edited model.json or
// run.json field, and each named case (a width edited, "train": null, run.json not JSON, negative
// shapes, no `variables`, NaN weights, an old-format file) gives an IoError naming the file —
// never another exception, and never a silent success with changed content.
import { TfjsEngine } from "../../../src/engines/tfjs/engine.js";
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { IoError } from "../../../src/runtime/io/files.js";
import { RunDir } from "../../../src/runtime/run/run-dir.js";
import { loadTrainedModel, trainRun } from "../../../src/runtime/run/runs.js";
import {
  decodeCheckpoint,
  encodeCheckpoint,
} from "../../../src/runtime/train/checkpoint.js";
import { irHash } from "../../../src/runtime/train/ir-hash.js";
import { writeFixture } from "./fixture.js";

let trained: RunDir;
let original: Buffer;

beforeAll(async () => {
  const spec = writeFixture();
  const out = join(dirname(spec), "run");
  await trainRun({
    file: spec,
    model: "m",
    out,
    epochs: 1,
    backend: "cpu",
    log: () => {},
  });
  await tf.setBackend("cpu");
  trained = new RunDir(out);
  original = readFileSync(trained.checkpointPath);
}, 120_000);

/** A copy of the trained run with `edit` applied; what loading it gives. */
function loadEdited(edit: (run: RunDir) => void): unknown {
  const run = new RunDir(join(mkdtempSync(join(tmpdir(), "vae-bad-")), "run"));
  cpSync(trained.path, run.path, { recursive: true });
  edit(run);
  try {
    loadTrainedModel(run.path, new TfjsEngine()).session.dispose();
    return "loaded";
  } catch (err) {
    return err;
  }
}

function expectIoError(result: unknown, file: string, what?: RegExp): void {
  expect(result).toBeInstanceOf(IoError);
  expect((result as Error).message).toContain(file);
  if (what) expect((result as Error).message).toMatch(what);
}

/** A checkpoint file with this header and payload and a correct checksum (a forged file). */
function forge(header: unknown, payload: Uint8Array): Uint8Array {
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const body = Buffer.concat([Buffer.from("VAECKPT2"), length, json, payload]);
  return Buffer.concat([body, createHash("sha256").update(body).digest()]);
}

function parts(bytes: Buffer): {
  header: Record<string, unknown>;
  payload: Buffer;
} {
  const length = bytes.readUInt32LE(8);
  return {
    header: JSON.parse(bytes.subarray(12, 12 + length).toString()) as Record<
      string,
      unknown
    >,
    payload: bytes.subarray(12 + length, bytes.length - 32),
  };
}

/** Every path in a JSON value (object keys and array indexes), parents first. */
function pathsOf(
  value: unknown,
  prefix: Array<string | number> = [],
): Array<Array<string | number>> {
  if (value === null || typeof value !== "object") return [prefix];
  const keys: Array<string | number> = Array.isArray(value)
    ? value.map((_, i) => i)
    : Object.keys(value);
  return [
    prefix,
    ...keys.flatMap((k) =>
      pathsOf((value as Record<string, unknown>)[k], [...prefix, k]),
    ),
  ];
}

/** `doc` with the value at `path` replaced (or deleted when `value` is undefined). */
function edited(
  doc: unknown,
  path: Array<string | number>,
  value: unknown,
): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1))
    at = at[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(at)) at.splice(last as number, 1);
    else delete at[last];
  } else at[last] = value;
  return copy;
}

/** An edit of `doc`: a path and the value to put there (undefined: delete it; not the root). */
const editOf = (doc: unknown) =>
  fc
    .record({
      path: fc.constantFrom(...pathsOf(doc)),
      value: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
    })
    .filter(({ path, value }) => path.length > 0 || value !== undefined);

describe("a damaged checkpoint", () => {
  it("with any byte flipped, or truncated, or extended, is an IoError saying so", () => {
    const damage = fc.oneof(
      fc
        .record({
          at: fc.nat({ max: original.length - 1 }),
          xor: fc.integer({ min: 1, max: 255 }),
        })
        .map(({ at, xor }) => {
          const b = Buffer.from(original);
          b[at]! ^= xor;
          return b;
        }),
      fc.nat({ max: original.length - 1 }).map((n) => original.subarray(0, n)),
      fc
        .uint8Array({ minLength: 1, maxLength: 64 })
        .map((extra) => Buffer.concat([original, extra])),
    );
    fc.assert(
      fc.property(damage, (bytes) => {
        let err: unknown;
        try {
          decodeCheckpoint(bytes, "ckpt.bin");
        } catch (e) {
          err = e;
        }
        expectIoError(err, "ckpt.bin is not a usable checkpoint: ");
      }),
      { seed: 1, numRuns: 2000 },
    );
  });

  it("in a run directory stops vae eval and vae sample with an IoError naming the file", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: original.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, xor) => {
          const result = loadEdited((run) => {
            const b = Buffer.from(original);
            b[at]! ^= xor;
            writeFileSync(run.checkpointPath, b);
          });
          expectIoError(
            result,
            "checkpoint.bin",
            /checksum|VAECKPT2|truncated/,
          );
        },
      ),
      { seed: 2, numRuns: 30 },
    );
  });

  it("forged with a valid checksum but an edited header never gives another exception", () => {
    const { header, payload } = parts(original);
    fc.assert(
      fc.property(editOf(header), ({ path, value }) => {
        const result = loadEdited((run) =>
          writeFileSync(
            run.checkpointPath,
            forge(edited(header, path, value), payload),
          ),
        );
        if (result !== "loaded") expectIoError(result, "checkpoint.bin");
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it("names each forged defect: negative shape, no variables, NaN weights, missing, extra or misshapen weights, another model, old format", () => {
    const { header, payload } = parts(original);
    const vars = header["variables"] as Array<{
      name: string;
      shape: number[];
    }>;
    const ckpt = decodeCheckpoint(original, "x");
    const nan = Buffer.from(payload);
    nan.writeFloatLE(NaN, 4 * 3);
    const cases: Array<[string, Uint8Array, RegExp]> = [
      [
        "negative shape",
        forge(
          {
            ...header,
            variables: [{ ...vars[0], shape: [-6, 8] }, ...vars.slice(1)],
          },
          payload,
        ),
        /header: \/variables\/0\/shape\/0 must be >= 0/,
      ],
      [
        "no variables",
        forge(edited(header, ["variables"], undefined), payload),
        /header: header must have required property 'variables'/,
      ],
      [
        "NaN weights",
        forge(header, nan),
        new RegExp(`${vars[0]!.name} holds a non-finite value`),
      ],
      [
        "sizes",
        forge(header, payload.subarray(4)),
        /header describes \d+ values but the file holds/,
      ],
      [
        "missing",
        encodeCheckpoint({ ...ckpt, variables: ckpt.variables.slice(1) }),
        new RegExp(`has no weights for ${vars[0]!.name}`),
      ],
      [
        "extra",
        encodeCheckpoint({
          ...ckpt,
          variables: [
            ...ckpt.variables,
            { name: "extra", shape: [1], values: new Float32Array(1) },
          ],
        }),
        /holds weights for extra, which the model does not have/,
      ],
      [
        "misshapen",
        encodeCheckpoint({
          ...ckpt,
          variables: ckpt.variables.map((v, i) =>
            i === 0 ? { ...v, shape: [...v.shape].reverse() } : v,
          ),
        }),
        /has shape \[.*\] but the model needs/,
      ],
      [
        "another model",
        encodeCheckpoint({ ...ckpt, irHash: "0".repeat(64) }),
        /belongs to another model than .*model\.json/,
      ],
      [
        "old format",
        Buffer.concat([Buffer.from("VAECKPT1"), original.subarray(8)]),
        /older vaec \(format 1/,
      ],
      ["empty", new Uint8Array(0), /does not start with VAECKPT2/],
    ];
    for (const [name, bytes, what] of cases) {
      const result = loadEdited((run) =>
        writeFileSync(run.checkpointPath, bytes),
      );
      expect(result, name).toBeInstanceOf(IoError);
      expect((result as Error).message, name).toMatch(what);
      expect((result as Error).message, name).toContain("checkpoint.bin");
    }
  });
});

describe("an edited model.json or run.json", () => {
  it("model.json: any edit is an IoError unless it leaves the model's identity (spans, file, epochs) unchanged", () => {
    const doc = JSON.parse(readFileSync(trained.modelPath, "utf8")) as unknown;
    fc.assert(
      fc.property(editOf(doc), ({ path, value }) => {
        const next = edited(doc, path, value);
        const result = loadEdited((run) =>
          writeFileSync(run.modelPath, JSON.stringify(next)),
        );
        if (result === "loaded") expect(irHash(next)).toBe(irHash(doc));
        else expectIoError(result, "model.json");
      }),
      { seed: 4, numRuns: 300 },
    );
  });

  it("run.json: any edit is an IoError naming it", () => {
    const doc = JSON.parse(
      readFileSync(trained.runInfoPath, "utf8"),
    ) as unknown;
    fc.assert(
      fc.property(
        editOf(doc).filter(
          ({ path, value }) =>
            JSON.stringify(edited(doc, path, value)) !== JSON.stringify(doc),
        ),
        ({ path, value }) => {
          const result = loadEdited((run) =>
            writeFileSync(
              run.runInfoPath,
              JSON.stringify(edited(doc, path, value)),
            ),
          );
          expectIoError(result, "run.json");
        },
      ),
      { seed: 5, numRuns: 200 },
    );
  });

  it("arbitrary bytes in model.json or run.json are an IoError naming the file", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("modelPath", "runInfoPath") as fc.Arbitrary<
          "modelPath" | "runInfoPath"
        >,
        fc.uint8Array({ maxLength: 200 }),
        (file, bytes) => {
          const result = loadEdited((run) => writeFileSync(run[file], bytes));
          expectIoError(
            result,
            file === "modelPath" ? "model.json" : "run.json",
          );
        },
      ),
      { seed: 6, numRuns: 100 },
    );
  });

  it('names the cases that crashed before: a width edited consistently, "train": null, run.json not JSON', () => {
    const doc = JSON.parse(readFileSync(trained.modelPath, "utf8")) as {
      nodes: Array<Record<string, unknown>>;
      parameters: Array<{ name: string; shape: number[] }>;
    };
    // The hidden width 8 → 9 everywhere it appears: the layers and their tensors' shapes.
    const wider = structuredClone(doc);
    for (const n of wider.nodes) {
      if (n["op"] === "dense" && n["out"] === 8) n["out"] = 9;
      if (n["op"] === "dense" && n["in"] === 8) n["in"] = 9;
    }
    for (const t of wider.parameters)
      if (/^n\d+\.(kernel|bias)$/.test(t.name))
        t.shape = t.shape.map((s) => (s === 8 ? 9 : s));
    const hashOk = decodeCheckpoint(original, "x");
    const cases: Array<[string, (run: RunDir) => void, string, RegExp]> = [
      [
        "width",
        (run) => writeFileSync(run.modelPath, JSON.stringify(wider)),
        "checkpoint.bin",
        /belongs to another model than/,
      ],
      [
        "width, checkpoint forged to claim the new model",
        (run) => {
          writeFileSync(run.modelPath, JSON.stringify(wider));
          writeFileSync(
            run.checkpointPath,
            encodeCheckpoint({ ...hashOk, irHash: irHash(wider) }),
          );
        },
        "checkpoint.bin",
        /has shape \[\d+(, \d+)?\] but the model needs \[\d+(, \d+)?\]/,
      ],
      [
        "train null",
        (run) =>
          writeFileSync(run.modelPath, JSON.stringify({ ...doc, train: null })),
        "model.json",
        /"train": null/,
      ],
      [
        "run.json not JSON",
        (run) => writeFileSync(run.runInfoPath, "{ not json"),
        "run.json",
        /is not valid JSON/,
      ],
      [
        "run.json of an older vaec",
        (run) => {
          const { format: _f, ...old } = JSON.parse(
            readFileSync(run.runInfoPath, "utf8"),
          ) as Record<string, unknown>;
          writeFileSync(run.runInfoPath, JSON.stringify(old));
        },
        "run.json",
        /was written by an older vaec/,
      ],
      [
        "model.json removed",
        (run) => rmSync(run.modelPath),
        "run",
        /is not a run directory: it has no model\.json$/,
      ],
      [
        "run.json empty",
        (run) => writeFileSync(run.runInfoPath, ""),
        "run.json",
        /is not valid JSON/,
      ],
      [
        "run.json removed",
        (run) => rmSync(run.runInfoPath),
        "run.json",
        /run\.json is missing, but .*checkpoint\.bin was written with one/,
      ],
    ];
    for (const [name, edit, file, what] of cases) {
      const result = loadEdited(edit);
      expect(result, name).toBeInstanceOf(IoError);
      expect((result as Error).message, name).toContain(file);
      expect((result as Error).message, name).toMatch(what);
    }
  });
});
