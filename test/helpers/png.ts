// Reads the pixels of a PNG (8-bit RGB or RGBA, as Chromium's screenshots are) with node:zlib alone,
// so a test can tell a drawn page from a blank one.
import { inflateSync } from 'node:zlib';

export interface Pixels {
  readonly width: number;
  readonly height: number;
  /** RGBA, 4 bytes per pixel, row after row. */
  readonly rgba: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function decodePng(png: Buffer): Pixels {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      const colour = body[9];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || body[12] !== 0)
        throw new Error(
          `PNG depth ${String(depth)} colour type ${String(colour)} (interlaced: ${String(body[12])}) not read here`,
        );
      channels = colour === 6 ? 4 : 3;
    }
    if (type === 'IDAT') data.push(body);
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let previous = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] ?? 0;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? (row[i - channels] ?? 0) : 0;
      const up = previous[i] ?? 0;
      const upLeft = i >= channels ? (previous[i - channels] ?? 0) : 0;
      const value = line[i] ?? 0;
      const predicted =
        filter === 0
          ? 0
          : filter === 1
            ? left
            : filter === 2
              ? up
              : filter === 3
                ? (left + up) >> 1
                : paeth(left, up, upLeft);
      row[i] = (value + predicted) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const to = (y * width + x) * 4;
      out[to] = row[x * channels] ?? 0;
      out[to + 1] = row[x * channels + 1] ?? 0;
      out[to + 2] = row[x * channels + 2] ?? 0;
      out[to + 3] = channels === 4 ? (row[x * channels + 3] ?? 0) : 255;
    }
    previous = row;
  }
  return { width, height, rgba: out };
}

/** How many distinct colours the image holds, counting at most `cap`. */
export function distinctColours(pixels: Pixels, cap = 1000): number {
  const seen = new Set<number>();
  const { rgba } = pixels;
  for (let i = 0; i < rgba.length && seen.size < cap; i += 4)
    seen.add(
      (((rgba[i] ?? 0) << 24) |
        ((rgba[i + 1] ?? 0) << 16) |
        ((rgba[i + 2] ?? 0) << 8) |
        (rgba[i + 3] ?? 0)) >>>
        0,
    );
  return seen.size;
}

/** The share of pixels that differ from the top-left pixel (the page's background). */
export function inkedShare(pixels: Pixels): number {
  const { rgba } = pixels;
  let inked = 0;
  for (let i = 0; i < rgba.length; i += 4)
    if (rgba[i] !== rgba[0] || rgba[i + 1] !== rgba[1] || rgba[i + 2] !== rgba[2]) inked++;
  return inked / (rgba.length / 4);
}
