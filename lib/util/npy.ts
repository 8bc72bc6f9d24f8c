/**
 * Minimal NumPy .npy (format 1.0) writer/reader for float32 C-order arrays, so that any
 * feature matrix can be checked with `numpy.load`.
 */
export function encodeNpyFloat32(data: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`npy: shape [${shape}] holds ${count} values, data has ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 10 + header.length + 1; // magic(6)+version(2)+len(2)+header+\n
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

export function decodeNpyFloat32(bytes: Uint8Array): { data: Float32Array; shape: number[] } {
  if (bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') throw new Error('npy: not a .npy file');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  if (!/'descr':\s*'<f4'/.test(header)) throw new Error(`npy: only little-endian float32 is supported, header: ${header}`);
  if (/'fortran_order':\s*True/.test(header)) throw new Error('npy: Fortran order is not supported');
  const shapeMatch = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!shapeMatch) throw new Error(`npy: no shape in header ${header}`);
  const shape = shapeMatch[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const body = bytes.slice(start + headerLen);
  return { data: new Float32Array(body.buffer, body.byteOffset, body.byteLength / 4), shape };
}
