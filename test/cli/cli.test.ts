// End-to-end tests of the `vae` command (check, compile, fmt) through a real process.
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { validateIr } from "../../src/ir/validate.js";
import { examplesDir, vaeFiles } from "../golden/golden.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

function vae(...args: string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", ...args],
    { cwd: root, encoding: "utf8" },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "vae-cli-")), name);
  writeFileSync(path, text);
  return path;
}

const broken = `model m {
  data x : binary[784]
  latent z : real[20]
  prior p(z) = Normal(0, 1)
  encoder q(z | x) = DiagNormal(mlp(x, [400], rleu))
  decoder p(x | z) = Bernouli(logits: linear(z))
}
`;

describe("the installed command", () => {
  it("is built and executable, as `npx vae` needs (npm ci runs the build)", () => {
    const bin = join(root, "dist/cli/main.js");
    expect(
      existsSync(bin),
      "dist/cli/main.js is missing: run npm run build",
    ).toBe(true);
    expect(statSync(bin).mode & 0o111).not.toBe(0);
    const r = spawnSync(bin, ["check", "examples/mnist.vae"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
  });
});

describe("vae check", () => {
  it("exits 0 on every example", () => {
    const r = vae("check", ...vaeFiles(examplesDir));
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("exits 1 and prints every error with file:line:col, code, caret and hint", () => {
    const file = tempFile("broken.vae", broken);
    const r = vae("check", file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `${file}:5:47: error[E012]: unknown activation \`rleu\``,
    );
    expect(r.stderr).toContain("hint: did you mean `relu`?");
    expect(r.stderr).toContain(
      `${file}:6:22: error[E011]: unknown distribution \`Bernouli\``,
    );
    expect(r.stderr).toContain("hint: did you mean `Bernoulli`?");
    expect(r.stderr).toMatch(/\n {2}\| {22}\^{8}\n/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("reports a missing file without a stack trace (exit 2)", () => {
    const r = vae("check", "no/such/file.vae");
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("vae: cannot read no/such/file.vae: no such file\n");
  });
});

describe("vae compile", () => {
  it("emits a schema-valid IR", () => {
    const r = vae("compile", "examples/mnist.vae", "--emit", "ir");
    expect(r.status).toBe(0);
    const ir = JSON.parse(r.stdout) as { model: string };
    expect(ir.model).toBe("mnist_vae");
    expect(validateIr(ir)).toEqual([]);
  });

  it("emits a readable summary with the model kind and parameter count", () => {
    const r = vae("compile", "examples/mnist_vib.vae", "--emit", "summary");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("kind: two-view / information bottleneck");
    expect(r.stdout).toContain("learnable parameters: 2,380,810");
  });

  it("refuses an unknown --emit", () => {
    const r = vae("compile", "examples/mnist.vae", "--emit", "dot");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--emit must be ir or summary");
  });

  it("prints diagnostics and no IR for an invalid spec", () => {
    const r = vae("compile", tempFile("b.vae", broken));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("error[E011]");
  });
});

describe("vae fmt", () => {
  const messy =
    "model m{data x:real[4]\nlatent   z:real[2] // c\nprior p(z)=Normal(0,1)\nencoder q(z|x)=DiagNormal(linear(x))\ndecoder p(x|z)=Normal(loc:linear(z),scale:0.1)}\n";

  it("rewrites a file in place, and --check then passes", () => {
    const file = tempFile("m.vae", messy);
    expect(vae("fmt", "--check", file).status).toBe(1);
    const r = vae("fmt", file);
    expect(r.status).toBe(0);
    const formatted = readFileSync(file, "utf8");
    expect(formatted).toContain("  encoder q(z | x) = DiagNormal(linear(x))\n");
    expect(formatted).toContain("latent z : real[2] // c\n");
    expect(vae("fmt", "--check", file).status).toBe(0);
  });

  it("leaves a file with syntax errors untouched", () => {
    const text = "model m {\n  data x : real[4\n}\n";
    const file = tempFile("bad.vae", text);
    const r = vae("fmt", file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error[E002]");
    expect(readFileSync(file, "utf8")).toBe(text);
  });
});
