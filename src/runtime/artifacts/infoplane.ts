// The information plane of a β sweep (the deep information bottleneck; Alemi et al. 2017, fig. 1):
// one point per β at (rate, I(z; y) lower bound), labelled with its β. SVG with text labels; PNG
// labels use log10 β.
import { escapeXml, formatTick, niceTicks } from "./curves.js";
import type { RgbaImage } from "./png.js";
import {
  blankImage,
  drawText,
  fillDisc,
  fillRect,
  TAB10,
  textWidth,
} from "./raster.js";

export interface PlanePoint {
  beta: number;
  x: number;
  y: number;
}

export interface PlaneAxes {
  x: string;
  y: string;
  title: string;
}

const W = 640;
const H = 440;
const M = { left: 70, right: 30, top: 40, bottom: 55 };

function scales(points: readonly PlanePoint[]) {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const pad = (lo: number, hi: number): [number, number] =>
    hi > lo ? [lo - 0.08 * (hi - lo), hi + 0.08 * (hi - lo)] : [lo - 1, hi + 1];
  const [x0, x1] = pad(Math.min(...xs), Math.max(...xs));
  const [y0, y1] = pad(Math.min(...ys), Math.max(...ys));
  const sx = (v: number): number =>
    M.left + ((v - x0) / (x1 - x0)) * (W - M.left - M.right);
  const sy = (v: number): number =>
    H - M.bottom - ((v - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  return { x0, x1, y0, y1, sx, sy };
}

export function betaLabel(beta: number): string {
  const e = Math.log10(beta);
  return Number.isInteger(e) ? `1e${e}` : String(beta);
}

export function infoplaneSvg(
  points: readonly PlanePoint[],
  axes: PlaneAxes,
): string {
  const { x0, x1, y0, y1, sx, sy } = scales(points);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  ];
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${escapeXml(axes.title)}</text>`,
  );
  const xt = niceTicks(x0, x1);
  const yt = niceTicks(y0, y1);
  const xStep = (xt[1] ?? xt[0]!) - xt[0]!;
  const yStep = (yt[1] ?? yt[0]!) - yt[0]!;
  for (const t of xt) {
    out.push(
      `<line x1="${sx(t)}" y1="${M.top}" x2="${sx(t)}" y2="${H - M.bottom}" stroke="#eee"/>`,
    );
    out.push(
      `<text x="${sx(t)}" y="${H - M.bottom + 16}" text-anchor="middle">${escapeXml(formatTick(t, xStep))}</text>`,
    );
  }
  for (const t of yt) {
    out.push(
      `<line x1="${M.left}" y1="${sy(t)}" x2="${W - M.right}" y2="${sy(t)}" stroke="#eee"/>`,
    );
    out.push(
      `<text x="${M.left - 6}" y="${sy(t) + 4}" text-anchor="end">${escapeXml(formatTick(t, yStep))}</text>`,
    );
  }
  out.push(
    `<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#444"/>`,
  );
  out.push(
    `<text x="${W / 2}" y="${H - 14}" text-anchor="middle">${escapeXml(axes.x)}</text>`,
  );
  out.push(
    `<text transform="translate(16 ${H / 2}) rotate(-90)" text-anchor="middle">${escapeXml(axes.y)}</text>`,
  );
  const sorted = [...points].sort((a, b) => a.beta - b.beta);
  out.push(
    `<polyline fill="none" stroke="#999" stroke-dasharray="4 3" points="${sorted.map((p) => `${sx(p.x)},${sy(p.y)}`).join(" ")}"/>`,
  );
  sorted.forEach((p, i) => {
    const [r, g, b] = TAB10[i % TAB10.length]!;
    out.push(
      `<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="5" fill="rgb(${r},${g},${b})"/>`,
    );
    out.push(
      `<text x="${sx(p.x) + 8}" y="${sy(p.y) - 8}">β = ${escapeXml(betaLabel(p.beta))}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

export function infoplanePng(points: readonly PlanePoint[]): RgbaImage {
  const { x0, x1, y0, y1, sx, sy } = scales(points);
  const image = blankImage(W, H, [255, 255, 255]);
  const ink: [number, number, number] = [68, 68, 68];
  fillRect(image, M.left, M.top, W - M.left - M.right, 1, ink);
  fillRect(image, M.left, H - M.bottom, W - M.left - M.right, 1, ink);
  fillRect(image, M.left, M.top, 1, H - M.top - M.bottom, ink);
  fillRect(image, W - M.right, M.top, 1, H - M.top - M.bottom, ink);
  // Tick numbers (the raster font has digits, "." and "-"; the SVG carries the axis titles).
  const xt = niceTicks(x0, x1);
  const yt = niceTicks(y0, y1);
  for (const t of xt) {
    const label = formatTick(t, (xt[1] ?? t + 1) - xt[0]!);
    fillRect(image, Math.round(sx(t)), H - M.bottom, 1, 5, ink);
    drawText(
      image,
      label,
      Math.round(sx(t) - textWidth(label, 2) / 2),
      H - M.bottom + 9,
      2,
      ink,
    );
  }
  for (const t of yt) {
    const label = formatTick(t, (yt[1] ?? t + 1) - yt[0]!);
    fillRect(image, M.left - 5, Math.round(sy(t)), 5, 1, ink);
    drawText(
      image,
      label,
      Math.round(M.left - 9 - textWidth(label, 2)),
      Math.round(sy(t) - 5),
      2,
      ink,
    );
  }
  [...points]
    .sort((a, b) => a.beta - b.beta)
    .forEach((p, i) => {
      const colour = TAB10[i % TAB10.length]!;
      const x = Math.round(sx(p.x));
      const y = Math.round(sy(p.y));
      fillDisc(image, x, y, 5, colour);
      // Points are labelled with log10 β (the raster font has no letters).
      const label = String(Math.round(Math.log10(p.beta) * 10) / 10);
      drawText(
        image,
        label,
        Math.min(W - textWidth(label, 2) - 2, x + 8),
        Math.max(2, y - 18),
        2,
        colour,
      );
    });
  return image;
}
