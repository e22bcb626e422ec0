import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ArtifactError, ArtifactWriteError } from './errors.js';
import { makeDirectory } from './registry/fs-atomic.js';
import { systemCode } from './write-errors.js';
import { jsonErrorPlace } from './json-error-offset.js';
import { MANIFEST_FILE, ManifestSchema, type Manifest, type ManifestInput } from './manifest.js';

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The sha256 of a file, read in chunks: a model file of hundreds of MB is never held in memory whole. */
async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Writes an artifact atomically: every file and a manifest carrying their sha256 go to a temporary
 * sibling directory, which is then renamed to `dir`. A crash leaves no half-written `dir`; an existing
 * non-empty `dir` is refused (`ARTIFACT_EXISTS`).
 */
export async function writeArtifact(
  dir: string,
  files: Record<string, Uint8Array | string>,
  manifest: Omit<ManifestInput, 'files'>,
): Promise<Manifest> {
  const hashes = Object.fromEntries(Object.entries(files).map(([name, data]) => [name, sha256(data)]));
  const parsed = ManifestSchema.safeParse({ ...manifest, files: hashes });
  if (!parsed.success) throw new ArtifactError('ARTIFACT_MANIFEST_INVALID', `manifest invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const target = path.resolve(dir);
  const manifestText = `${JSON.stringify(parsed.data, null, 2)}\n`;
  const bytes = [...Object.values(files), manifestText].reduce((sum, data) => sum + Buffer.byteLength(data), 0);
  // A write of a file names no file when it fails (`ENOSPC: no space left on device, write`): said with the file and the artifact's size.
  const writing = (file: string, write: Promise<unknown>) =>
    write.catch((cause: unknown) => {
      throw systemCode(cause) === undefined ? cause : new ArtifactWriteError((cause as NodeJS.ErrnoException).path ?? file, bytes, { cause });
    });
  // makeDirectory: Node 20's recursive mkdir says ENOENT where the file system is read-only.
  await writing(path.dirname(target), makeDirectory(path.dirname(target)));
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await writing(tmp, mkdir(tmp));
  try {
    for (const [name, data] of Object.entries(files)) await writing(path.join(tmp, name), writeFile(path.join(tmp, name), data));
    await writing(path.join(tmp, MANIFEST_FILE), writeFile(path.join(tmp, MANIFEST_FILE), manifestText));
    try {
      await rename(tmp, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') {
        throw new ArtifactError('ARTIFACT_EXISTS', `${target} exists and is not empty`, { cause: error });
      }
      throw error;
    }
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  return parsed.data;
}

/** Reads `manifest.json` of an artifact, validates it and checks the sha256 of every file it lists. */
export async function readVerifiedManifest(dir: string): Promise<Manifest> {
  const manifest = await readManifest(dir);
  await checkArtifactFiles(dir, manifest.files);
  return manifest;
}

/** Reads `manifest.json` of an artifact and validates it; the files it lists are not checked here. */
export async function readManifest(dir: string): Promise<Manifest> {
  let raw: string;
  try {
    raw = await readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    throw new ArtifactError('ARTIFACT_MISSING', `no ${MANIFEST_FILE} in ${dir}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    // Where it breaks, as config errors say it (`manifest.json:12:5`): a hand edit's stray comma is found at once.
    throw new ArtifactError('ARTIFACT_MANIFEST_INVALID', `${MANIFEST_FILE}${jsonErrorPlace(raw)} in ${dir} is not JSON (${(error as Error).message.split('\n')[0]})`, { cause: error });
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ArtifactError('ARTIFACT_MANIFEST_INVALID', `${MANIFEST_FILE} in ${dir} is invalid: ${issues}`);
  }
  return parsed.data;
}

/** Reads a file whole (`readFile` of node:fs/promises by default). */
export type ReadWholeFile = (file: string) => Promise<Uint8Array>;

/** Files of an artifact that its reader needs whole: read once, hashed, and their bytes handed back. */
export interface KeptFiles {
  names: readonly string[];
  read?: ReadWholeFile;
}

/**
 * Checks the sha256 of every file a manifest lists (no model is loaded); the first missing or changed one is
 * named. Each file is hashed as it is read, not held whole: every model thread checks its artifact at load,
 * and the S3 registry checks each download. The files in `keep` are the exception: read whole once, and the
 * bytes hashed are the ones returned, so the caller (the Classifier: model.onnx, idf.f32) never reads them again.
 */
export async function checkArtifactFiles(dir: string, files: Readonly<Record<string, string>>, keep?: KeptFiles): Promise<Map<string, Uint8Array>> {
  const kept = new Map<string, Uint8Array>();
  for (const [name, expected] of Object.entries(files)) {
    let actual: string;
    try {
      if (keep?.names.includes(name)) {
        const bytes = await (keep.read ?? readFile)(path.join(dir, name));
        kept.set(name, bytes);
        actual = sha256(bytes);
      } else actual = await sha256OfFile(path.join(dir, name));
    } catch (error) {
      throw new ArtifactError('ARTIFACT_MISSING', `${name} listed in the manifest is missing from ${dir}`, { cause: error });
    }
    if (actual !== expected) throw new ArtifactError('ARTIFACT_HASH_MISMATCH', `${name} in ${dir} does not match its sha256 in the manifest`);
  }
  return kept;
}
