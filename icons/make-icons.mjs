// Draws the toolbar icons (a lens over a key-hole dot) as PNGs: node icons/make-icons.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

function icon(size) {
  const rows = [];
  const c = size * 0.42, r = size * 0.3, w = Math.max(1.2, size * 0.09);
  for (let y = 0; y < size; y++) {
    const row = [0];
    for (let x = 0; x < size; x++) {
      const px = x + 0.5, py = y + 0.5;
      const d = Math.hypot(px - c, py - c);
      const ring = Math.abs(d - r) < w;
      // handle: a thick line from the ring to the lower right corner
      const t = ((px - c) + (py - c)) / 2;
      const off = Math.abs((px - c) - (py - c)) / Math.SQRT2;
      const handle = t > r * 0.75 && t < size * 0.56 && off < w * 1.3;
      const dot = d < r * 0.32;
      if (ring || handle) row.push(0x0b, 0x57, 0xd0, 255);
      else if (dot) row.push(0xb3, 0x26, 0x1e, 255);
      else if (d < r) row.push(0xe8, 0xf0, 0xfe, 255);
      else row.push(0, 0, 0, 0);
    }
    rows.push(Buffer.from(row));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of [16, 32, 48, 128]) writeFileSync(new URL(`./icon-${size}.png`, import.meta.url), icon(size));
