import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { checkArtifactFiles, sha256 } from '../artifact.js';
import { ArtifactError } from '../errors.js';
import { ManifestFilesSchema, ManifestSchema, MAX_MODEL_ID_LENGTH, type Manifest } from '../manifest.js';
import { RegistryError } from './errors.js';
import { ManifestTestFactsSchema } from './measured-on.js';

/**
 * What to do with a registered artifact that is missing or changed (`dir`: its folder, `<home>/models/<id>` in the
 * local registry): put an intact copy of the folder back where the registry reads it. Not `registry add` of a copy: a
 * version's id is its manifest's model id, and an id is never registered twice (REGISTRY_DUPLICATE).
 */
export function restoreAdvice(dir: string, id: string): string {
  return `copy an intact copy of its folder back to ${dir} (a backup's models/${id}: \`mailroute backup --verify <backup>\` checks it), then run the command again`;
}

/** A registered model's id: the name of its directory under models/, so a plain name (no `/`, no leading `.`). */
export const ModelIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, . _ - only');

/** What the registry needs of an artifact's manifest (the full schema is the Classifier's business). */
export const ManifestHeadSchema = z
  .object({
    // As long as the Classifier's manifest allows: a longer one was registered for no server to load, and from
    // about 230 characters on its staging directory's name was too long for the filesystem (a bare ENAMETOOLONG).
    modelId: ModelIdSchema.max(MAX_MODEL_ID_LENGTH),
    family: z.string(),
    tasks: z.array(z.object({ name: z.string() })).min(1),
    dataHash: z.string(),
    metrics: z.record(z.string(), z.unknown()).optional(),
    /** Each file's sha256: what makes the artifact checkable before it is loaded. */
    files: ManifestFilesSchema,
  })
  .extend(ManifestTestFactsSchema.shape);
export type ManifestHead = z.infer<typeof ManifestHeadSchema>;

/** Issues a refusal names at most: the rest are counted. */
const MAX_ISSUES_NAMED = 3;

/** `onnx.file ("../../etc/passwd"): a plain file name`: each issue's path, the text found there (cut short) and what is wrong. */
function issuesText(issues: readonly z.core.$ZodIssue[], json: unknown): string {
  const found = (at: readonly PropertyKey[]): string => {
    let value: unknown = json;
    for (const key of at) value = value !== null && typeof value === 'object' && Object.hasOwn(value, key) ? (value as Record<PropertyKey, unknown>)[key] : undefined;
    return typeof value === 'string' ? ` (${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)})` : '';
  };
  // The first issue of each place: a file name refused by its pattern is not said again as zod's "Invalid input".
  const places = new Set<string>();
  const first = issues.filter((i) => !places.has(i.path.join('.')) && places.add(i.path.join('.')));
  const named = first.slice(0, MAX_ISSUES_NAMED).map((i) => `${i.path.join('.') || '(root)'}${found(i.path)}: ${i.message}`);
  return first.length > MAX_ISSUES_NAMED ? `${named.join('; ')} and ${first.length - MAX_ISSUES_NAMED} more` : named.join('; ');
}

/**
 * Why a manifest is not one a server can load, or undefined: the loader's own schema (`ManifestSchema`, which
 * `Classifier.load` reads it with: every manifest it accepts, of any age, passes), so every file the manifest names
 * (`onnx.file`, the featurizer's `idf.f32`) is a plain file name beside it that `files` lists with its sha256. A model
 * whose manifest fails it (`onnx.file` "../../../../etc/passwd", a manifest of the registry's fields alone) was
 * registered, approved and made champion, and then no server could start: `serve` exits MODEL_LOAD_FAILED.
 */
export function unloadableManifest(json: unknown): string | undefined {
  const parsed = ManifestSchema.safeParse(json);
  return parsed.success ? undefined : issuesText(parsed.error.issues, json);
}

/** The manifest's bytes parsed (REGISTRY_ARTIFACT_INVALID naming `shownAs` when it is not one a server can load). */
export function parseManifestHead(bytes: Buffer | string, shownAs: string): ManifestHead {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString());
  } catch (cause) {
    throw new RegistryError('REGISTRY_ARTIFACT_INVALID', `${shownAs}: no valid manifest.json (${firstLine(cause)})`, { cause });
  }
  const parsed = ManifestHeadSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RegistryError('REGISTRY_ARTIFACT_INVALID', `${shownAs}: no valid manifest.json (${issue?.path.join('.') || '(root)'}: ${issue?.message})`);
  }
  const unloadable = unloadableManifest(json);
  if (unloadable !== undefined) {
    throw new RegistryError('REGISTRY_ARTIFACT_INVALID', `${shownAs}: manifest.json is not one a server can load (${unloadable}); nothing was registered`);
  }
  return parsed.data;
}

/**
 * The manifest of an artifact copied into `dir` (a staging copy), with its sha256, once every file it
 * lists has its sha256 (the check the Classifier makes at load, without loading the model): what is
 * registered is what was copied, read from the copy. Errors name `shownAs` (the directory given), not `dir`.
 */
export async function readCopiedManifest(dir: string, shownAs: string): Promise<{ head: ManifestHead; manifestSha256: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(dir, 'manifest.json'));
  } catch (cause) {
    throw new RegistryError('REGISTRY_ARTIFACT_INVALID', `${shownAs}: no valid manifest.json (${firstLine(cause)})`, { cause });
  }
  const head = parseManifestHead(bytes, shownAs);
  try {
    await checkArtifactFiles(dir, head.files);
  } catch (cause) {
    if (!(cause instanceof ArtifactError)) throw cause;
    throw new RegistryError('REGISTRY_ARTIFACT_INVALID', `${shownAs}: ${cause.message.replaceAll(dir, shownAs)}; nothing was registered`, { cause });
  }
  return { head, manifestSha256: sha256(bytes) };
}

/** The files a manifest lists with their sha256s (`files`); throws when it cannot be read or lists none. */
function listedFiles(bytes: Buffer): Record<string, string> {
  return z.looseObject({ files: ManifestFilesSchema }).parse(JSON.parse(bytes.toString())).files;
}

/** The first line of an error's message, to quote in another. */
function firstLine(error: unknown): string {
  return (error as Error).message.split('\n')[0];
}

/**
 * Checks, before an artifact is registered as it is (the S3 registry uploads the directory given), that its
 * manifest lists each file's sha256, that it is one a server's loader takes (`ManifestSchema`, as the local
 * registry checks: `onnx.file` "../../../../etc/passwd", or the registry's fields alone, made a version no server
 * could start with), and that every listed file has its sha256 (a corrupt model.onnx is refused naming the file);
 * any of them fails with REGISTRY_ARTIFACT_INVALID, before anything is registered. `manifestBytes` are the
 * manifest's bytes as the caller read them (what it registers: checked, not read again), else manifest.json is
 * read. Answers the manifest as the loader reads it.
 */
export async function checkArtifactToRegister(dir: string, manifestBytes?: Buffer): Promise<Manifest> {
  let json: unknown;
  let files: Record<string, string>;
  try {
    json = JSON.parse((manifestBytes ?? (await readFile(path.join(dir, 'manifest.json')))).toString());
    files = z.looseObject({ files: ManifestFilesSchema }).parse(json).files;
  } catch (cause) {
    throw new RegistryError('REGISTRY_ARTIFACT_INVALID', `${dir}: manifest.json lists no valid file sha256s (\`files\`), which the server checks at load (${firstLine(cause)}); nothing was registered`, { cause });
  }
  const loaded = ManifestSchema.safeParse(json);
  if (!loaded.success) {
    throw new RegistryError('REGISTRY_ARTIFACT_INVALID', `${dir}: manifest.json is not one a server can load (${issuesText(loaded.error.issues, json)}); nothing was registered`);
  }
  try {
    await checkArtifactFiles(dir, files);
  } catch (cause) {
    if (!(cause instanceof ArtifactError)) throw cause;
    throw new RegistryError('REGISTRY_ARTIFACT_INVALID', `${cause.message}; nothing was registered`, { cause });
  }
  return loaded.data;
}

/** manifest.json's bytes, for the checks of a registered artifact (REGISTRY_ARTIFACT_TAMPERED when it cannot be read). */
async function registeredManifest(dir: string, id: string): Promise<Buffer> {
  try {
    return await readFile(path.join(dir, 'manifest.json'));
  } catch (cause) {
    // The whole folder gone (moved away by hand, a disk restored without it) is said as such, not as its manifest alone.
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT' && !(await stat(dir).then((info) => info.isDirectory(), () => false))) {
      throw new RegistryError('REGISTRY_ARTIFACT_TAMPERED', `model "${id}": its folder ${dir} is missing (moved or deleted); ${restoreAdvice(dir, id)}`, { cause });
    }
    throw new RegistryError('REGISTRY_ARTIFACT_TAMPERED', `model "${id}": its manifest.json cannot be read (${firstLine(cause)}); ${restoreAdvice(dir, id)}`, { cause });
  }
}

/** Refuses manifest bytes that are not the ones registered (sha256), with `REGISTRY_ARTIFACT_TAMPERED`. */
function checkManifestBytes(bytes: Buffer, id: string, expected: string, dir: string): void {
  const actual = sha256(bytes);
  if (actual !== expected) {
    throw new RegistryError(
      'REGISTRY_ARTIFACT_TAMPERED',
      `model "${id}": manifest.json was changed after registration (sha256 ${actual.slice(0, 12)}..., registered ${expected.slice(0, 12)}...): labels, thresholds or temperatures may no longer be the trained ones; ${restoreAdvice(dir, id)}`,
    );
  }
}

/** Refuses an artifact whose manifest.json is not the one registered (sha256), with `REGISTRY_ARTIFACT_TAMPERED`. */
export async function checkManifest(dir: string, id: string, expected: string): Promise<void> {
  checkManifestBytes(await registeredManifest(dir, id), id, expected, dir);
}

/**
 * Refuses a registered artifact whose manifest or any file it lists changed since registration (a corrupted
 * model.onnx would let a model be made champion that no server can load), naming the file. With `loadable`, also
 * one whose manifest no server can load (`unloadableManifest`; REGISTRY_ARTIFACT_INVALID): one registered before
 * registration checked that, about to be approved.
 */
export async function checkRegisteredArtifact(dir: string, id: string, manifestSha256: string | undefined, options: { loadable?: boolean } = {}): Promise<void> {
  const bytes = await registeredManifest(dir, id);
  if (manifestSha256 !== undefined) checkManifestBytes(bytes, id, manifestSha256, dir);
  if (options.loadable) {
    let unloadable: string | undefined;
    try {
      unloadable = unloadableManifest(JSON.parse(bytes.toString()));
    } catch (cause) {
      unloadable = `not JSON: ${firstLine(cause)}`;
    }
    if (unloadable !== undefined) {
      throw new RegistryError(
        'REGISTRY_ARTIFACT_INVALID',
        `model "${id}": its manifest.json is not one a server can load (${unloadable}), so no server could start with it as champion; reject it (mailroute registry reject ${id}) and register a valid artifact`,
      );
    }
  }
  let files: Record<string, string>;
  try {
    files = listedFiles(bytes);
  } catch (cause) {
    throw new RegistryError('REGISTRY_ARTIFACT_TAMPERED', `model "${id}": its manifest.json lists no valid file hashes (${firstLine(cause)}); ${restoreAdvice(dir, id)}`, { cause });
  }
  try {
    await checkArtifactFiles(dir, files);
  } catch (cause) {
    if (!(cause instanceof ArtifactError)) throw cause;
    const [name = 'a file'] = Object.keys(files).filter((f) => cause.message.startsWith(`${f} `));
    const what = cause.code === 'ARTIFACT_MISSING' ? 'is missing' : 'was changed after registration (its sha256 is not the manifest\'s)';
    throw new RegistryError('REGISTRY_ARTIFACT_TAMPERED', `model "${id}": ${name} ${what} in ${dir}; ${restoreAdvice(dir, id)}`, { cause });
  }
}
