// Draws the app icons from the favicon's three squares (public/favicon.svg) as PNGs, with no image library.
// Run from apps/dashboard: node scripts/generate-icons.mjs
import fs from 'node:fs';
import zlib from 'node:zlib';

const black = [0, 0, 0];
const signal = [0xff, 0x3b, 0x00];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
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

// The favicon on a 32-unit grid; `logoShare` shrinks it into the maskable safe zone (the middle 80 %).
function colourAt(x, y, size, logoShare) {
  const margin = (size * (1 - logoShare)) / 2;
  const u = ((x + 0.5 - margin) / (size * logoShare)) * 32;
  const v = ((y + 0.5 - margin) / (size * logoShare)) * 32;
  const inside = (from, to) => u >= from && u < to && v >= from && v < to;
  if (inside(10, 22)) return black;
  if (inside(4, 28)) return signal;
  return black;
}

function drawPng(size, logoShare) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) row.set(colourAt(x, y, size, logoShare), 1 + x * 3);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

fs.mkdirSync('public/icons', { recursive: true });
fs.writeFileSync('public/icons/icon-192.png', drawPng(192, 1));
fs.writeFileSync('public/icons/icon-512.png', drawPng(512, 1));
fs.writeFileSync('public/icons/icon-maskable-512.png', drawPng(512, 0.7));
fs.writeFileSync('public/icons/apple-touch-icon.png', drawPng(180, 1));
