import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The file handle @gmod/cram reads through (its GenericFilehandle shape). Its own LocalFile opens
 * and closes the file on every read (a slice costs ~15 reads); this one keeps one descriptor and
 * reads synchronously. A read never returns more than the file holds from `position`, so a corrupt
 * length field asks for a short buffer instead of allocating gigabytes. Every buffer is a fresh
 * ArrayBuffer at offset 0: @gmod/cram builds DataViews on `.buffer` without the byte offset.
 */
export class CramFileHandle {
  private fd: number | null;
  readonly size: number;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  readSync(length: number, position: number): Uint8Array<ArrayBuffer> {
    if (this.fd === null) throw new Error(`${this.path}: read after close`);
    const n = position < 0 ? 0 : Math.max(0, Math.min(length, this.size - position));
    const out = new Uint8Array(n);
    let done = 0;
    while (done < n) {
      const got = readSync(this.fd, out, done, n - done, position + done);
      if (got === 0) break;
      done += got;
    }
    return done === n ? out : out.slice(0, done);
  }

  async read(length: number, position: number): Promise<Uint8Array<ArrayBuffer>> {
    return this.readSync(length, position);
  }

  async readFile(): Promise<Uint8Array<ArrayBuffer>>;
  async readFile(encoding: unknown): Promise<string>;
  async readFile(encoding?: unknown): Promise<Uint8Array<ArrayBuffer> | string> {
    const bytes = this.readSync(this.size, 0);
    return typeof encoding === 'string' ? Buffer.from(bytes).toString(encoding as BufferEncoding) : bytes;
  }

  async stat(): Promise<{ size: number }> {
    return { size: this.size };
  }

  async close(): Promise<void> {
    this.closeSync();
  }

  closeSync(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
