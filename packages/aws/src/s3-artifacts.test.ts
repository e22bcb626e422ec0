import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mockClient } from 'aws-sdk-client-mock';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { downloadPrefixAtomically } from './s3-artifacts.js';

type Out = never;
const s3 = new S3Client({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const mock = mockClient(s3);
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MB = 1024 * 1024;

/**
 * A GetObject body of `chunks` MB made as it is read, as the SDK hands one out in Node (a Readable with the
 * SDK's transform methods); `peak` records the most array-buffer memory held while it was read (after a GC).
 */
function body(chunks: number, peak: { bytes: number }): Readable {
  let base: number | undefined;
  async function* make(): AsyncGenerator<Buffer> {
    for (let i = 0; i < chunks; i++) {
      if (i % 4 === 0) {
        gc();
        const held = process.memoryUsage().arrayBuffers;
        base ??= held;
        peak.bytes = Math.max(peak.bytes, held - base);
      }
      yield Buffer.alloc(MB, i % 256);
    }
  }
  const stream = Readable.from(make(), { objectMode: false });
  const collect = async () => {
    const parts: Buffer[] = [];
    for await (const part of stream) parts.push(part as Buffer);
    return new Uint8Array(Buffer.concat(parts));
  };
  return Object.assign(stream, { transformToByteArray: collect, transformToString: async () => Buffer.from(await collect()).toString() });
}

describe('downloadPrefixAtomically', () => {
  let root: string;
  beforeEach(async () => {
    mock.reset();
    root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-download-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('streams each object to disk: a model file larger than the memory to spare is never held whole', async () => {
    const peak = { bytes: 0 };
    mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'models/m/model.onnx' }] } as Out);
    mock.on(GetObjectCommand).callsFake(() => ({ Body: body(64, peak) }) as Out);
    const dir = await downloadPrefixAtomically(s3, 'artifacts', 'models/m/', path.join(root, 'm'));
    expect((await stat(path.join(dir, 'model.onnx'))).size).toBe(64 * MB);
    expect(peak.bytes).toBeLessThan(16 * MB);
  });
});
