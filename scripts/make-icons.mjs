#!/usr/bin/env node
// Draws Envelock's icon (a padlock whose body is a sealed envelope) procedurally
// into RGBA pixels and writes PNG, ICO and ICNS files with node:zlib only.
// Usage: node scripts/make-icons.mjs   (writes into assets/)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const ASSETS = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

// ---- PNG -------------------------------------------------------------------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- shapes as signed distances in unit coordinates (0..1) -----------------
function roundedBox(px, py, cx, cy, hw, hh, r) {
  const qx = Math.abs(px - cx) - hw + r;
  const qy = Math.abs(py - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}
function circle(px, py, cx, cy, r) {
  return Math.hypot(px - cx, py - cy) - r;
}
function segment(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}
/** An upside-down U: a half ring on top, legs going down into the body. */
function shackle(px, py, cx, cy, r, legTo, half) {
  let d;
  if (py <= cy) d = Math.abs(Math.hypot(px - cx, py - cy) - r);
  else d = Math.min(segment(px, py, cx - r, cy, cx - r, legTo), segment(px, py, cx + r, cy, cx + r, legTo));
  return d - half;
}
const coverage = (d, pixel) => Math.max(0, Math.min(1, 0.5 - d / pixel));
const mix = (a, b, t) => a + (b - a) * t;

// ---- the two designs ------------------------------------------------------
const TOP = [79, 70, 229]; // indigo-600
const BOTTOM = [49, 46, 129]; // indigo-900
const WHITE = [255, 255, 255];
const FLAP = [165, 180, 252]; // indigo-300

/** Full-colour app icon: rounded square, white padlock with an envelope flap on its body. */
function appIcon(px, py, pixel, small) {
  const layers = [];
  const background = roundedBox(px, py, 0.5, 0.5, 0.43, 0.43, 0.11);
  const t = Math.max(0, Math.min(1, (py - 0.07) / 0.86));
  layers.push([TOP.map((c, i) => mix(c, BOTTOM[i], t)), coverage(background, pixel)]);
  const stroke = small ? 0.06 : 0.048;
  layers.push([WHITE, coverage(shackle(px, py, 0.5, 0.4, 0.135, 0.52, stroke / 2), pixel)]);
  const body = roundedBox(px, py, 0.5, 0.62, 0.235, 0.175, 0.045);
  layers.push([WHITE, coverage(body, pixel)]);
  if (!small) {
    // The envelope flap: a V from the body's top corners to its middle.
    const flap = Math.min(segment(px, py, 0.3, 0.475, 0.5, 0.625), segment(px, py, 0.7, 0.475, 0.5, 0.625)) - 0.014;
    layers.push([FLAP, coverage(Math.max(flap, body + 0.03), pixel)]);
    const seal = circle(px, py, 0.5, 0.64, 0.045);
    layers.push([TOP, coverage(seal, pixel)]);
  } else {
    const hole = Math.min(circle(px, py, 0.5, 0.6, 0.05), roundedBox(px, py, 0.5, 0.665, 0.022, 0.05, 0.01));
    layers.push([BOTTOM, coverage(hole, pixel)]);
  }
  return layers;
}

/** Tray glyph: the padlock alone, full bleed; `color` white on indigo for tray.png, black for macOS templates. */
function trayGlyph(px, py, pixel, colour) {
  const stroke = 0.11;
  const shape = Math.min(shackle(px, py, 0.5, 0.36, 0.2, 0.55, stroke / 2), roundedBox(px, py, 0.5, 0.68, 0.34, 0.26, 0.07));
  const hole = Math.min(circle(px, py, 0.5, 0.64, 0.075), roundedBox(px, py, 0.5, 0.74, 0.035, 0.08, 0.015));
  return [[colour, coverage(Math.max(shape, -hole), pixel)]];
}

/** Rasterises a layer function with 4x4 supersampling on top of the analytic anti-aliasing. */
function render(size, layersAt) {
  const rgba = Buffer.alloc(size * size * 4);
  const pixel = 1 / size;
  const grid = size <= 64 ? 4 : 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < grid; sy++) {
        for (let sx = 0; sx < grid; sx++) {
          const px = (x + (sx + 0.5) / grid) / size;
          const py = (y + (sy + 0.5) / grid) / size;
          // Composite premultiplied, back to front.
          let cr = 0, cg = 0, cb = 0, ca = 0;
          for (const [colour, alpha] of layersAt(px, py, pixel)) {
            cr = colour[0] * alpha + cr * (1 - alpha);
            cg = colour[1] * alpha + cg * (1 - alpha);
            cb = colour[2] * alpha + cb * (1 - alpha);
            ca = alpha + ca * (1 - alpha);
          }
          r += cr; g += cg; b += cb; a += ca;
        }
      }
      const n = grid * grid;
      const o = (y * size + x) * 4;
      const alpha = a / n;
      rgba[o] = alpha > 0 ? Math.round(r / n / alpha) : 0;
      rgba[o + 1] = alpha > 0 ? Math.round(g / n / alpha) : 0;
      rgba[o + 2] = alpha > 0 ? Math.round(b / n / alpha) : 0;
      rgba[o + 3] = Math.round(alpha * 255);
    }
  }
  return rgba;
}

// ---- containers ------------------------------------------------------------
function encodeIco(pngs) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  const entries = [];
  let offset = 6 + 16 * pngs.length;
  for (const { size, png } of pngs) {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size;
    entry[1] = size >= 256 ? 0 : size;
    entry.writeUInt16LE(1, 4); // planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(entry);
  }
  return Buffer.concat([header, ...entries, ...pngs.map((p) => p.png)]);
}

function encodeIcns(entries) {
  const parts = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((sum, p) => sum + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

// ---- write -----------------------------------------------------------------
function write(path, data) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  console.log(`${path.slice(ASSETS.length + 1)}  ${data.length} bytes`);
}

const pngs = new Map();
for (const size of SIZES) {
  const png = encodePng(size, render(size, (px, py, pixel) => appIcon(px, py, pixel, size <= 32)));
  pngs.set(size, png);
  write(join(ASSETS, 'icons', `${size}x${size}.png`), png);
}
write(join(ASSETS, 'icon.png'), pngs.get(1024));
write(join(ASSETS, 'icon.ico'), encodeIco([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: pngs.get(size) }))));
write(join(ASSETS, 'icon.icns'), encodeIcns([
  { type: 'ic07', png: pngs.get(128) },
  { type: 'ic08', png: pngs.get(256) },
  { type: 'ic09', png: pngs.get(512) },
  { type: 'ic10', png: pngs.get(1024) },
]));
for (const [name, size] of [['tray.png', 16], ['tray@2x.png', 32]]) {
  write(join(ASSETS, name), encodePng(size, render(size, (px, py, pixel) => appIcon(px, py, pixel, true))));
}
for (const [name, size] of [['trayTemplate.png', 16], ['trayTemplate@2x.png', 32]]) {
  write(join(ASSETS, name), encodePng(size, render(size, (px, py, pixel) => trayGlyph(px, py, pixel, [0, 0, 0]))));
}
