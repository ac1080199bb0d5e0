// Ctrl-C during `vae train` (a real process of dist/, cpu backend): after the first epoch line a
// SIGINT stops it with exit 2 and the command that continues; the run directory keeps the last
// complete epoch and no lock; that command then finishes the run, repeating the first epochs'
// metrics exactly. Also: tfjs's "install our node backend" banner does not print on cpu.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const EPOCHS = 20;

function writeSpec(dir: string): string {
  let s = 3;
  const u = (): number =>
    ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const rows = Array.from({ length: 2000 }, () =>
    Array.from({ length: 8 }, () => u().toFixed(3)).join(","),
  );
  writeFileSync(join(dir, "d.csv"), rows.join("\n") + "\n");
  const spec = join(dir, "small.vae");
  writeFileSync(
    spec,
    `model small {
  data x : real[8]
  latent z : real[2]
  prior p(z) = Normal(0, 1)
  encoder q(z | x) = DiagNormal(mlp(x, [64], tanh))
  decoder p(x | z) = Normal(loc: mlp(z, [64], tanh), scale: 0.5)
}
train small {
  data = csv(path: "d.csv")
  batch = 20
  epochs = ${EPOCHS}
}
`,
  );
  return spec;
}

/** Starts `vae train`, sends SIGINT after the first epoch line, resolves with code and stderr. */
function trainInterrupted(
  args: string[],
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["dist/cli/main.js", ...args], {
      cwd: root,
    });
    let stderr = "";
    let sent = false;
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
      if (!sent && /^epoch 1\//m.test(stderr)) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, stderr }));
  });
}

/** metrics.jsonl's rows without their timings (which differ from run to run). */
const metricsOf = (dir: string): Array<Record<string, unknown>> =>
  readFileSync(join(dir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => {
      const row = JSON.parse(l) as Record<string, unknown>;
      delete row["seconds"];
      delete row["examples_per_sec"];
      return row;
    });

describe("Ctrl-C during vae train", () => {
  it("prints how to resume, exits 2, keeps the last epoch, and the printed command finishes the run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vae-int-"));
    const spec = writeSpec(dir);
    const out = join(dir, "run");
    const r = await trainInterrupted([
      "train",
      spec,
      "--out",
      out,
      "--backend",
      "cpu",
    ]);
    expect(r.code, r.stderr).toBe(2);
    const m =
      /\nvae: interrupted after epoch (\d+) of 20 \(its checkpoint is kept\); continue with: vae (.*)\n$/.exec(
        r.stderr,
      );
    expect(m, r.stderr).not.toBeNull();
    const epoch = Number(m![1]);
    expect(epoch).toBeGreaterThanOrEqual(1);
    expect(epoch).toBeLessThan(EPOCHS);
    expect(m![2]).toBe(`train ${spec} --out ${out} --resume`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toContain("Hi, looks like");
    expect(existsSync(join(out, "train.lock"))).toBe(false);
    const before = metricsOf(out);
    expect(before).toHaveLength(epoch);

    const again = spawnSync(
      process.execPath,
      ["dist/cli/main.js", ...m![2]!.split(" ")],
      {
        cwd: root,
        encoding: "utf8",
      },
    );
    expect(again.status, again.stderr).toBe(0);
    const after = metricsOf(out);
    expect(after).toHaveLength(EPOCHS);
    expect(after.slice(0, epoch)).toEqual(before);
    expect(existsSync(join(out, "train.lock"))).toBe(false);
  });
});
