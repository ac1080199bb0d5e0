// Start-up cost: `vae check`, `compile`, `fmt` and `--help`, and any refused flag, never load the
// runtime (tfjs). Each command runs as a real process of dist/ with loader hooks that record every
// module it imports (fixtures/record-loads.mjs); a command that trains must load @tensorflow, which
// shows the recording sees it. Runs dist/ (npm run build first).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "vae-startup-"));

/** Runs `vae ...args` and returns its exit code, stderr and the URLs of the modules it loaded. */
function loads(
  name: string,
  ...args: string[]
): { status: number | null; stderr: string; urls: string[] } {
  const out = join(dir, `${name}.txt`);
  writeFileSync(out, "");
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      "./test/cli/fixtures/record-loads.mjs",
      "dist/cli/main.js",
      ...args,
    ],
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, VAE_LOADS_OUT: out },
    },
  );
  const urls = readFileSync(out, "utf8").split("\n").filter(Boolean);
  return { status: r.status, stderr: r.stderr, urls };
}

const runtimeModules = (urls: string[]): string[] =>
  urls.filter(
    (u) =>
      u.includes("/node_modules/@tensorflow/") ||
      /\/dist\/runtime\/(?!io\/files\.js|data\/errors\.js|backend-names\.js)/.test(
        u,
      ),
  );

describe("start-up", () => {
  it("check, --help and a refused flag load no runtime module", () => {
    const check = loads("check", "check", "examples/mnist.vae");
    expect(check.status).toBe(0);
    expect(check.urls.some((u) => u.includes("/dist/compiler/"))).toBe(true);
    expect(runtimeModules(check.urls)).toEqual([]);

    const help = loads("help", "--help");
    expect(help.status).toBe(0);
    expect(help.urls.some((u) => u.includes("/dist/cli/program.js"))).toBe(
      true,
    );
    expect(help.urls.filter((u) => u.includes("/dist/compiler/"))).toEqual([]);
    expect(runtimeModules(help.urls)).toEqual([]);

    const flag = loads("flag", "train", "examples/mnist.vae", "--epochs", "0");
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain("--epochs must be a whole number");
    expect(runtimeModules(flag.urls)).toEqual([]);
  });

  it("compile and fmt --check load no runtime module", () => {
    for (const args of [
      ["compile", "examples/mnist.vae", "--emit", "summary"],
      ["fmt", "--check", "examples/mnist.vae"],
    ]) {
      const r = loads(args[0]!, ...args);
      expect(r.status, r.stderr).toBe(0);
      expect(runtimeModules(r.urls)).toEqual([]);
    }
  });

  it("a runtime command does load tfjs (the recording sees it), and fails cleanly", () => {
    const r = loads("train", "train", join(dir, "missing.vae"));
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `vae: cannot read ${join(dir, "missing.vae")}: no such file\n`,
    );
    expect(r.urls.some((u) => u.includes("/node_modules/@tensorflow/"))).toBe(
      true,
    );
  });
});
