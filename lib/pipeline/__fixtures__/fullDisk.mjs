// Preloaded into a command under test (node --import): writes into the folder CAPUCHIN_TEST_FULL_DISK names
// ("FOLDER:BYTES") fail with ENOSPC, as on a full file system, once more than BYTES have been written there.
// Used by lib/pipeline/diskFull.test.ts where it may not mount a small tmpfs.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const spec = process.env.CAPUCHIN_TEST_FULL_DISK ?? '';
const at = spec.lastIndexOf(':');
const folder = spec.slice(0, at);
const budget = Number(spec.slice(at + 1));
let used = 0;

const size = (data) => (typeof data === 'string' ? Buffer.byteLength(data) : (data?.byteLength ?? 0));
for (const name of ['writeFileSync', 'appendFileSync']) {
  const original = fs[name];
  fs[name] = function (path, data, ...rest) {
    if (folder && typeof path === 'string' && path.startsWith(folder)) {
      if (used + size(data) > budget) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
      used += size(data);
    }
    return original.call(this, path, data, ...rest);
  };
}
syncBuiltinESMExports();
