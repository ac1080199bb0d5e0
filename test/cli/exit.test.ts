// The last resort (src/cli/exit.ts) in real processes: whatever escapes — an exception thrown
// from a timer after the wasm backend installed its own process handlers (which would exit 7),
// an unhandled rejection, a stray process.exit(7) — prints one line and exits 2; the stack only
// with VAE_DEBUG=1. Runs dist/ (npm run build first).
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { internalErrorMessage } from "../../src/cli/exit.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dist = (path: string): string =>
  pathToFileURL(`${root}dist/${path}`).href;

/** Runs `body` as an ES module after installing the last resort; `wasm`: start the backend first. */
function script(
  body: string,
  options: { wasm?: boolean; debug?: boolean } = {},
): { status: number | null; stderr: string } {
  const source = [
    `import { installLastResort } from ${JSON.stringify(dist("cli/exit.js"))};`,
    `installLastResort((t) => process.stderr.write(t));`,
    options.wasm
      ? `const { initBackend } = await import(${JSON.stringify(dist("runtime/backend.js"))}); await initBackend("wasm");`
      : "",
    body,
  ].join("\n");
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", source], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, VAE_DEBUG: options.debug ? "1" : "" },
  });
  return { status: r.status, stderr: r.stderr };
}

const report = "(please report this, with the command and the spec)";

describe("the last resort", () => {
  it("turns an exception thrown after the wasm backend started into one line and exit 2", () => {
    const r = script(
      `setTimeout(() => { throw new Error("boom\\n  second line"); }, 0);`,
      { wasm: true },
    );
    expect(r.stderr).toBe(
      `vae: internal error: Error: boom second line ${report}\n`,
    );
    expect(r.status).toBe(2);
  });

  it("catches an unhandled rejection the same way (wasm started)", () => {
    const r = script(`Promise.reject(new TypeError("no such thing"));`, {
      wasm: true,
    });
    expect(r.stderr).toBe(
      `vae: internal error: TypeError: no such thing ${report}\n`,
    );
    expect(r.status).toBe(2);
  });

  it("maps an exit code outside 0–3 to 2, and names a wasm abort as such", () => {
    expect(script(`process.exit(7);`).status).toBe(2);
    const r = script(
      `throw new WebAssembly.RuntimeError("memory access out of bounds");`,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^vae: the wasm backend stopped \(RuntimeError: memory access out of bounds\); .* --backend cpu; .*please report this/,
    );
    expect(r.stderr.split("\n")).toHaveLength(2);
  });

  it("prints the stack only with VAE_DEBUG=1", () => {
    const r = script(`throw new Error("deep");`, { debug: true });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`vae: internal error: Error: deep ${report}\n`);
    expect(r.stderr).toMatch(/^\s+at /m);
  });
});

describe("internalErrorMessage", () => {
  it("is one line without a stack for any thrown value", () => {
    const thrown = fc.oneof(
      fc.string().map((m) => new Error(m)),
      fc.string().map((m) => new RangeError(m)),
      fc.string(),
      fc.integer(),
      fc.constantFrom(null, undefined, { a: 1 }),
    );
    fc.assert(
      fc.property(thrown, (err) => {
        const text = internalErrorMessage(err);
        expect(text.endsWith(`${report}\n`)).toBe(true);
        expect(text.slice(0, -1)).not.toMatch(/[\r\n]/);
        expect(text.length).toBeLessThan(700);
      }),
      { seed: 5, numRuns: 500 },
    );
  });
});
