// The disk images the virtio machine guest reads (see src/virtio.c): disk0.img, 128 sectors of
// PATTERN(i) = (7i + 13(i >> 9) + 1) mod 256, and disk1.img, 8 sectors of PATTERN1(i) = (5i + 0x5a)
// mod 256. Used by test/machine-guests.test.ts and tools/build-machine-guests.sh:
//   node test/machine-guests/disks.mjs DIR   writes DIR/disk0.img and DIR/disk1.img

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function diskImages() {
  const d0 = new Uint8Array(128 * 512), d1 = new Uint8Array(8 * 512);
  for (let i = 0; i < d0.length; i++) d0[i] = (i * 7 + (i >> 9) * 13 + 1) & 0xff;
  for (let i = 0; i < d1.length; i++) d1[i] = (i * 5 + 0x5a) & 0xff;
  return { disk0: d0, disk1: d1 };
}

/** Write disk0.img and disk1.img into dir; returns their paths. */
export function writeDiskImages(dir) {
  const { disk0, disk1 } = diskImages();
  const p0 = join(dir, 'disk0.img'), p1 = join(dir, 'disk1.img');
  writeFileSync(p0, disk0);
  writeFileSync(p1, disk1);
  return { disk0: p0, disk1: p1 };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.length !== 3) { console.error('usage: node disks.mjs DIR'); process.exit(2); }
  writeDiskImages(process.argv[2]);
}
