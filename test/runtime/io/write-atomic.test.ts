// writeAtomic's failures name the path the caller asked for and why, never its temp file.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IoError, writeAtomic } from "../../../src/runtime/io/files.js";

describe("writeAtomic", () => {
  const root = mkdtempSync(join(tmpdir(), "vae-write-"));
  writeFileSync(join(root, "file"), "");
  const name = fc.stringMatching(/^[a-z][a-z0-9._-]{0,8}$/);

  it("into a missing folder, or one that is a file, says so about the user's path", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("missing", "file"),
        fc.array(name, { maxLength: 2 }),
        name,
        (top, middle, leaf) => {
          const path = join(root, top, ...middle, `${leaf}.png`);
          let error: unknown;
          try {
            writeAtomic(path, "x");
          } catch (err) {
            error = err;
          }
          expect(error).toBeInstanceOf(IoError);
          const message = (error as Error).message;
          expect(message.startsWith(`cannot write ${path}: `)).toBe(true);
          expect(message).not.toMatch(/\.tmp/);
          expect(message).toBe(
            top === "missing"
              ? `cannot write ${path}: no such folder ${dirname(path)}`
              : `cannot write ${path}: ${dirname(path)} is not a folder`,
          );
        },
      ),
      { seed: 37, numRuns: 200 },
    );
  });
});
