/** The generated icons (scripts/make-icons.mjs) exist with the sizes and containers packaging needs. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(data: Buffer): { width: number; height: number } {
  expect(data.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(data.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

const asset = (path: string): Buffer => readFileSync(resolve('assets', path));

describe('assets', () => {
  it.each([16, 24, 32, 48, 64, 128, 256, 512, 1024])('icons/%ix%i.png', (size) => {
    expect(pngSize(asset(`icons/${size}x${size}.png`))).toEqual({ width: size, height: size });
  });

  it('icon.png is 1024 px; tray icons are 16 and 32 px', () => {
    expect(pngSize(asset('icon.png'))).toEqual({ width: 1024, height: 1024 });
    expect(pngSize(asset('tray.png'))).toEqual({ width: 16, height: 16 });
    expect(pngSize(asset('tray@2x.png'))).toEqual({ width: 32, height: 32 });
    expect(pngSize(asset('trayTemplate.png'))).toEqual({ width: 16, height: 16 });
    expect(pngSize(asset('trayTemplate@2x.png'))).toEqual({ width: 32, height: 32 });
  });

  it('icon.ico embeds PNGs up to 256 px', () => {
    const ico = asset('icon.ico');
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const entry = 6 + i * 16;
      const length = ico.readUInt32LE(entry + 8);
      const offset = ico.readUInt32LE(entry + 12);
      const { width } = pngSize(ico.subarray(offset, offset + length));
      expect(ico[entry] === 0 ? 256 : ico[entry]).toBe(width);
      sizes.push(width);
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('icon.icns holds ic07..ic10 PNG entries (128..1024 px)', () => {
    const icns = asset('icon.icns');
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const entries: Array<[string, number]> = [];
    for (let at = 8; at < icns.length;) {
      const type = icns.toString('ascii', at, at + 4);
      const length = icns.readUInt32BE(at + 4);
      entries.push([type, pngSize(icns.subarray(at + 8, at + length)).width]);
      at += length;
    }
    expect(entries).toEqual([['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024]]);
  });
});
