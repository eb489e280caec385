import { promisify } from 'node:util';
import { deflate, deflateSync, inflateSync } from 'node:zlib';

/**
 * Compresses values of at least `compressionMinSize` bytes; they carry Dalli's "compressed" flag
 * (0x2). `decompress` must refuse to produce more than `maxLength` bytes, so a hostile value
 * cannot balloon memory. `compressAsync`, when given, compresses off the event loop: large values
 * use it, so one big write does not stall every other request on the client.
 */
export interface Compressor {
  compress(bytes: Buffer): Uint8Array;
  compressAsync?(bytes: Buffer): Promise<Uint8Array>;
  decompress(bytes: Buffer, maxLength: number): Uint8Array;
}

const deflateAsync = promisify(deflate);

/** zlib deflate, the format of Dalli's default `Dalli::Compressor` (Zlib::Deflate). */
export const zlibCompressor: Compressor = {
  compress(bytes: Buffer): Buffer {
    return deflateSync(bytes);
  },
  compressAsync(bytes: Buffer): Promise<Buffer> {
    return deflateAsync(bytes);
  },
  decompress(bytes: Buffer, maxLength: number): Buffer {
    return inflateSync(bytes, { maxOutputLength: maxLength });
  },
};
