import { deflateSync, inflateSync } from 'node:zlib';

/**
 * Compresses values of at least `compressionMinSize` bytes; they carry Dalli's "compressed" flag
 * (0x2). `decompress` must refuse to produce more than `maxLength` bytes, so a hostile value
 * cannot balloon memory.
 */
export interface Compressor {
  compress(bytes: Buffer): Uint8Array;
  decompress(bytes: Buffer, maxLength: number): Uint8Array;
}

/** zlib deflate, the format of Dalli's default `Dalli::Compressor` (Zlib::Deflate). */
export const zlibCompressor: Compressor = {
  compress(bytes: Buffer): Buffer {
    return deflateSync(bytes);
  },
  decompress(bytes: Buffer, maxLength: number): Buffer {
    return inflateSync(bytes, { maxOutputLength: maxLength });
  },
};
