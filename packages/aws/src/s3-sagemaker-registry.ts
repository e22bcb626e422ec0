import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand,
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  UpdateModelPackageCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  checkArtifactToRegister,
  checkManifest,
  checkRegisteredArtifact,
  decidedBy,
  gateDecidedError,
  gateFailedError,
  gateOverrideNote,
  rejectionOverrideNote,
  GateRecordSchema,
  RegistryError,
  sha256,
  type ChampionChange,
  type GateRecord,
  type ModelRegistry,
  type ModelVersion,
  type StatusChange,
  type StatusChangeOptions,
} from '@mailroute/model';
import { deleteKeys, downloadPrefixAtomically, listKeys, putIfAbsent, uploadDirectory } from './s3-artifacts.js';
import { readJsonObject, readObjectText } from './s3-objects.js';
import { moveChampionPointer, readChampionPointer, restoreChampionPointer, type ChampionPointer, type PointerMove } from './champion-pointer.js';
import {
  approvalDescription,
  fromModelPackage,
  headlineMetrics,
  statusChangeMetadata,
  summarizeManifest,
} from './registry-metadata.js';
import { createModelPackageInput } from './model-package-input.js';
import { appendChampionChange, appendDecision, CHAMPION_HISTORY, decisionKeysById, listDecisionKeys, readChampionHistory, readDecisions } from './registry-audit.js';
import { RegistryArtifactError } from './errors.js';

export interface S3SageMakerRegistryOptions {
  s3: S3Client;
  sagemaker: SageMakerClient;
  bucket: string;
  /** Key prefix of model artifacts, e.g. `models/`; each version lives under `<prefix><id>/`. */
  prefix?: string;
  modelPackageGroupName: string;
  /** The serving container image the model package names (ECR URI with tag or digest). */
  inferenceImage: string;
  /** Local cache that `artifactDir` downloads into. */
  cacheDir: string;
  now?: () => Date;
}

/** A version and the ARN of its model package. */
export interface RegisteredPackage {
  version: ModelVersion;
  modelPackageArn: string;
}

/** DescribeModelPackage calls in flight at once when the whole group is read (list, the version deployed last). */
const DESCRIBES_AT_ONCE = 4;
/** GetObject calls in flight at once when `list` reads the gate records. */
const GATE_READS_AT_ONCE = 8;
/** A version's gate record is `<prefix><id>.gate.json` (see the class comment). */
const GATE_SUFFIX = '.gate.json';

/** Whether SageMaker answered that it made nothing (a 4xx: refused, throttled); a timeout or a 5xx may hide a package made. */
function refusedOutright(error: unknown): boolean {
  const e = error as { $fault?: unknown; $metadata?: { httpStatusCode?: unknown } } | undefined;
  const status = e?.$metadata?.httpStatusCode;
  return e?.$fault === 'client' || (typeof status === 'number' && status >= 400 && status < 500);
}

/**
 * `ModelRegistry` on S3 (artifact files under a prefix, uncompressed, so SageMaker reads them with
 * `CompressionType: None`) and the SageMaker Model Registry (one model package per version; its
 * approval status is the version's status, 1:1). The version id is the manifest's `modelId`. The
 * champion is `<prefix>champion.json` (after the champion was rejected: the previous champion, which is the
 * other Approved version approved last, or `{ id: null }` when none is), falling back to the newest Approved
 * version when the pointer was never written.
 *
 * The last gate `mailroute compare` ran on a version (`recordGate`) is `<prefix><id>.gate.json`, a GateRecord
 * beside champion.json, written whole by one PutObject. Not in the package's metadata: its 50 entries are spent
 * at registration (11 fields, up to 39 metrics). Not under `<prefix><id>/` either: that prefix is the model
 * data SageMaker copies into the serving container and `artifactDir` downloads, the registered artifact
 * and nothing else. No key of a version's files can be one of these (theirs have a `/` after the id).
 *
 * The audit trail the local registry keeps in its index is beside them too (registry-audit.ts): each decision made
 * through the registry as `<prefix><id>.decision.<n>.json` (status, time, `by`, note and a copy of the gate it was made
 * on), written once and never over, and each change of champion in `<prefix>champion-history.json` (how, by whom,
 * why), appended by compare-and-swap. They are written after the status change (the commit point SageMaker's event
 * deploys from): a write that fails then is reported as such, the decision standing.
 */
export class S3SageMakerRegistry implements ModelRegistry {
  private readonly prefix: string;
  private readonly now: () => Date;

  constructor(private readonly options: S3SageMakerRegistryOptions) {
    this.prefix = options.prefix ?? 'models/';
    if (this.prefix && !this.prefix.endsWith('/')) throw new RangeError('prefix must end with "/"');
    this.now = options.now ?? (() => new Date());
  }

  artifactUri(id: string): string {
    return `s3://${this.options.bucket}/${this.prefix}${id}/`;
  }

  /** Registers the artifact (registerPackage); the new version's history is its registration, as the local registry's starts. */
  async register(artifactDir: string, options: { note?: string; runId?: string } = {}): Promise<ModelVersion> {
    const { version } = await this.registerPackage(artifactDir, options);
    return { ...version, history: [registration(version)] };
  }

  /**
   * `register`, answering the model package's ARN too: the one CreateModelPackage returned (or, after a lost
   * answer, the one found with the id), not one listed afterwards (ListModelPackages may not show it yet).
   */
  async registerPackage(artifactDir: string, options: { note?: string; runId?: string } = {}): Promise<RegisteredPackage> {
    // Read once: the facts recorded, the sha256 recorded and the contents the upload is held to are of the same bytes.
    const manifestFile = path.join(artifactDir, 'manifest.json');
    const manifestBytes = await readBytes(manifestFile);
    const json = parseJson(manifestBytes, manifestFile);
    // These bytes are a manifest a server's loader takes (so it names its modelId, family, tasks and data hash), and
    // every file they list has its sha256 (what the server checks at load), or nothing is uploaded.
    const loaded = await checkArtifactToRegister(artifactDir, manifestBytes);
    // The facts recorded; summarizeManifest also holds the modelId to a plain name (S3 keys and the download cache
    // are named after it), which the loader does not.
    const { modelId: _plainName, metrics: manifestMetrics, files, ...manifest } = summarizeManifest(json);
    const metrics = Object.keys(manifestMetrics).length > 0 ? manifestMetrics : headlineMetrics(await readJson(path.join(artifactDir, 'metrics.json'), false));
    // The manifest's modelId is the version id, as in the local registry.
    const id = loaded.modelId;
    if ((await this.versions()).some((v) => v.id === id)) throw new RegistryError('REGISTRY_DUPLICATE', `model "${id}" is already registered`);
    // Files first, model package last: the package is the commit point, so a failure never leaves a
    // broken version. What was uploaded is then deleted (best effort: no lifecycle rule cleans it; an object
    // left behind is referenced by nothing; a later registration of this artifact writes over it, one of another
    // manifest under this id is refused: see claimId).
    const manifestSha256 = sha256(manifestBytes);
    const input = createModelPackageInput({
      groupName: this.options.modelPackageGroupName,
      inferenceImage: this.options.inferenceImage,
      artifactUri: this.artifactUri(id),
      version: { id, ...manifest, metrics, note: options.note, runId: options.runId, manifestSha256 },
    });
    return this.uploadThenCreate(artifactDir, id, manifestBytes, { ...files, 'manifest.json': manifestSha256 }, async () => {
      const created = await this.options.sagemaker.send(new CreateModelPackageCommand(input));
      if (!created.ModelPackageArn) throw new RegistryError('REGISTRY_INDEX_INVALID', 'CreateModelPackage returned no ARN');
      return { version: await this.describe(created.ModelPackageArn), modelPackageArn: created.ModelPackageArn };
    });
  }

  /**
   * Uploads the artifact, then `create`s its package. Every object is held to its sha256 in `sha256s` (the
   * manifest's, and the files' it lists): S3 refuses one whose bytes differ (a file changed since it was
   * checked), so a package never points at files that are not the manifest's. A failed upload deletes what
   * it wrote. A failed create may still have made the package (a timeout or 5xx after SageMaker did, or a
   * describe after it that failed): the group is searched for the id first; when one has it, it is the registration
   * (its files kept). When none does, a create SageMaker refused outright (a 4xx) deletes the files; after a timeout
   * or a 5xx the package may be made and not listed yet, so the create is sent again (its ClientToken makes it
   * idempotent: the package made answers), and if that fails too, the files are kept and the error says so. When
   * the search fails, the files are kept and the error says what to check.
   */
  private async uploadThenCreate(
    artifactDir: string,
    id: string,
    manifestBytes: Buffer,
    sha256s: Record<string, string>,
    create: () => Promise<RegisteredPackage>,
  ): Promise<RegisteredPackage> {
    const manifestSha256 = sha256s['manifest.json'];
    const uploaded: string[] = [];
    try {
      await this.claimId(id, manifestBytes, manifestSha256, uploaded);
      await uploadDirectory(this.options.s3, this.options.bucket, `${this.prefix}${id}/`, artifactDir, uploaded, sha256s, ['manifest.json']);
    } catch (error) {
      await deleteKeys(this.options.s3, this.options.bucket, uploaded);
      throw error;
    }
    try {
      return await create();
    } catch (error) {
      let made: { arn: string; version: ModelVersion } | undefined;
      try {
        made = await this.lookup(id);
      } catch (check) {
        throw new RegistryError(
          'REGISTRY_INDEX_INVALID',
          `creating the model package of ${id} failed (${String(error)}) and ${this.options.modelPackageGroupName} could not be searched for it (${String(check)}), ` +
            `so its files under ${this.artifactUri(id)} were kept: if no package in the group has mailroute:id ${id}, delete them or register the model again`,
          { cause: error },
        );
      }
      // Made by this registration only when it records this manifest; else another writer registered the id at
      // the same time, into the same prefix: its package references the files, which are kept.
      if (made && made.version.manifestSha256 === manifestSha256) return { version: made.version, modelPackageArn: made.arn };
      if (made) {
        throw new RegistryError(
          'REGISTRY_DUPLICATE',
          `model "${id}" was registered at the same time by another writer with another manifest; the files under ${this.artifactUri(id)} may mix both: reject that version and register the model under a new id`,
          { cause: error },
        );
      }
      let failed = error;
      if (!refusedOutright(error)) {
        try {
          return await create();
        } catch (again) {
          if (!refusedOutright(again)) {
            throw new RegistryError(
              'REGISTRY_INDEX_INVALID',
              `creating the model package of ${id} failed twice (${String(error)}; then ${String(again)}): it may have been made and not be listed yet, so its files under ${this.artifactUri(id)} were kept: register the model again (a package made answers then), or, if no package in ${this.options.modelPackageGroupName} has mailroute:id ${id} a while later, delete them`,
              { cause: again },
            );
          }
          failed = again;
        }
      }
      await deleteKeys(this.options.s3, this.options.bucket, uploaded);
      throw failed;
    }
  }

  /**
   * The id's manifest is written first, and only where there is none (S3's conditional write): two
   * registrations of one id at once (both past the duplicate check) cannot both write their files there. The
   * second finds another manifest and fails with REGISTRY_DUPLICATE having written nothing; the same manifest
   * (this artifact registered again after a failed try left its files) is no other writer, and goes on.
   */
  private async claimId(id: string, manifestBytes: Buffer, manifestSha256: string, uploaded: string[]): Promise<void> {
    const key = `${this.prefix}${id}/manifest.json`;
    const put = { Bucket: this.options.bucket, Key: key, Body: manifestBytes, ContentLength: manifestBytes.length, ChecksumSHA256: Buffer.from(manifestSha256, 'hex').toString('base64') };
    for (let attempt = 1; attempt <= 3; attempt++) {
      if (await putIfAbsent(this.options.s3, put)) {
        uploaded.push(key);
        return;
      }
      const there = await readObjectText(this.options.s3, this.options.bucket, key);
      if (there === undefined) continue; // deleted since (the other writer's failed registration): try again
      if (sha256(Buffer.from(there, 'utf8')) === manifestSha256) return;
      throw new RegistryError(
        'REGISTRY_DUPLICATE',
        `model "${id}": s3://${this.options.bucket}/${key} holds another manifest (another registration of this id, running or failed); nothing was uploaded. ` +
          `If no package in ${this.options.modelPackageGroupName} has mailroute:id ${id}, delete ${this.artifactUri(id)} and register again, or register the model under a new id`,
      );
    }
    throw new RegistryError('REGISTRY_DUPLICATE', `model "${id}": s3://${this.options.bucket}/${key} was written and deleted by another writer three times while this registration tried to claim it; nothing was uploaded: register again`);
  }

  /** Every version with its gate record and its history (its registration, then its decision records), newest first. */
  async list(): Promise<ModelVersion[]> {
    const [versions, { gates, decisions }] = await Promise.all([this.versions(), this.records()]);
    return versions.map((v) => {
      const gate = gates.get(v.id);
      return { ...v, ...(gate ? { gate } : {}), history: [registration(v), ...(decisions.get(v.id) ?? [])] };
    });
  }

  /** Every version as its package says it (no gate record), newest first as the local registry lists them. */
  private async versions(): Promise<ModelVersion[]> {
    const described = await this.describeAll();
    return described.map((d) => d.version).sort((a, b) => b.version - a.version);
  }

  /**
   * The gate records and the decision records of the group, by id. One ListObjectsV2 of the registry's top level
   * (`Delimiter: '/'`, so a page per 1,000 entries: champion.json and its history, the gate and decision records, one
   * common prefix per version) says which ids have which, and only those are read, a few at a time: not one GetObject
   * per version, most of them 404s, on top of the DescribeModelPackage per version `list` makes anyway. A record
   * listed but deleted since reads as none.
   */
  private async records(): Promise<{ gates: Map<string, GateRecord>; decisions: Map<string, StatusChange[]> }> {
    const listed = await listKeys(this.options.s3, this.options.bucket, this.prefix, '/');
    const gateIds = listed.filter((key) => key.endsWith(GATE_SUFFIX)).map((key) => key.slice(this.prefix.length, -GATE_SUFFIX.length));
    const decisionKeys = [...decisionKeysById(this.prefix, listed)];
    const [gates, decisions] = await Promise.all([
      atMostAtOnce(gateIds, GATE_READS_AT_ONCE, (id) => this.readGate(id)),
      atMostAtOnce(decisionKeys, GATE_READS_AT_ONCE, ([, keys]) => readDecisions(this.options.s3, this.options.bucket, keys)),
    ]);
    return {
      gates: new Map(gateIds.flatMap((id, i) => (gates[i] ? [[id, gates[i]] as const] : []))),
      decisions: new Map(decisionKeys.map(([id], i) => [id, decisions[i]] as const)),
    };
  }

  private gateKey(id: string): string {
    return `${this.prefix}${id}${GATE_SUFFIX}`;
  }

  /** The gate record of `id`; undefined when none was recorded (NoSuchKey); REGISTRY_INDEX_INVALID naming the object when it is not one. */
  private async readGate(id: string): Promise<GateRecord | undefined> {
    const key = this.gateKey(id);
    return readJsonObject(this.options.s3, this.options.bucket, key, GateRecordSchema, (detail) => `s3://${this.options.bucket}/${key} is not a gate record (${detail}); run the comparison again to record a new one`);
  }

  private async withGate(version: ModelVersion): Promise<ModelVersion> {
    const gate = await this.readGate(version.id);
    return gate ? { ...version, gate } : version;
  }

  /** The version with its gate record and its history (its registration, then its decision records): as every call hands it out. */
  private async withRecords(version: ModelVersion): Promise<ModelVersion> {
    const [withGate, decisions] = await Promise.all([this.withGate(version), this.decisions(version.id)]);
    return { ...withGate, history: [registration(version), ...decisions] };
  }

  /** The decisions of `id` made through the registry, oldest first (none made in the console or with the AWS CLI). */
  private async decisions(id: string): Promise<StatusChange[]> {
    return readDecisions(this.options.s3, this.options.bucket, await listDecisionKeys(this.options.s3, this.options.bucket, this.prefix, id));
  }

  /**
   * The version the deployer put on the endpoint last, as the registry can tell it without the endpoint: the
   * Approved package (other than `except`) whose status changed last (SageMaker's LastModifiedTime, which an
   * approval in the console sets too; ties to the newest). The deployer deploys each approval as it comes, and
   * on the rejection of the version serving rolls back to the Approved one approved last, by the same rule. A
   * metadata edit in the console also counts as a change.
   */
  private async deployedId(except?: string): Promise<string | undefined> {
    const approved = (await this.describeAll()).filter((d) => d.version.status === 'Approved' && d.version.id !== except);
    approved.sort((a, b) => b.changedAt - a.changedAt || b.version.version - a.version.version);
    return approved[0]?.version.id;
  }

  /**
   * Every package described, in list order, a few at a time: SageMaker's control plane throttles a burst
   * ("Rate exceeded"), and a group grows by a package per published version, for years.
   */
  private async describeAll(): Promise<{ version: ModelVersion; changedAt: number }[]> {
    return atMostAtOnce(await this.packageArns(), DESCRIBES_AT_ONCE, (arn) => this.describeWithTime(arn));
  }

  async get(id: string): Promise<ModelVersion> {
    return this.withRecords((await this.find(id)).version);
  }

  /** The model package of `id` (no gate record): its ARN and version; REGISTRY_NOT_FOUND when none has the id. */
  async modelPackage(id: string): Promise<RegisteredPackage> {
    const { arn, version } = await this.find(id);
    return { version, modelPackageArn: arn };
  }

  /**
   * Approves `id`, which the deployer then puts on the endpoint (every approval deploys). So the champion
   * pointer always follows: `promote: false` is refused (the endpoint would change and the pointer not), and
   * so is approving again a version that is Approved already but neither the champion nor the version
   * deployed last (no event, nothing deployed). The pointer is written first, the status (which deploys) last; a status change that failed
   * and did not happen puts the previous pointer back. A version awaiting its decision whose recorded gate
   * failed is refused (REGISTRY_GATE_FAILED) unless `force`, which the decision's note then says, as the local
   * registry does; an Approved version approved again is not checked again (no decision is made, no note written).
   * The decision is recorded with the gate it was made on, and a change of champion in the champion history (an
   * approval again that makes the version champion again too), as the local registry records them.
   */
  async approve(id: string, options: StatusChangeOptions & { promote?: boolean; force?: boolean } = {}): Promise<ModelVersion> {
    if (options.promote === false) throw notSupported(`approve ${id} without promoting it`);
    const { arn, version } = await this.find(id);
    const current = await this.withGate(version);
    if (current.status === 'Rejected' && !options.force) {
      // Who rejected it, when and why, in the local registry's words.
      const who = [decidedBy(current), current.statusNote && `("${current.statusNote}")`].filter(Boolean).join(' ');
      throw new RegistryError('REGISTRY_REJECTED', `model "${id}" was rejected${who ? ` ${who}` : ''}; approving it undoes that decision: pass force to do so`);
    }
    if (current.status === 'Approved') {
      // Approving an Approved version again keeps the first decision on record (a failed gate it overrode
      // included: the gate is not checked again, no decision being made) and sends no new event: it only
      // writes the pointer, for the champion or the version deployed last (approved in the console, which
      // moved the endpoint and not the pointer).
      const before = await this.pointTo(id, `make ${id}, Approved already, the champion again`);
      if (before !== id) await this.audited(`${id} is the champion again`, [this.keepChampionChange({ id, at: this.now().toISOString(), via: 'approve', ...decider(options) }, before)]);
      return this.withRecords(version);
    }
    const champion = await this.currentChampion();
    // Undoing a rejection, said first, as the override of a failed gate (SageMaker's 256 characters of note).
    if (current.status === 'Rejected') options = { ...options, note: [rejectionOverrideNote(current), options.note].filter(Boolean).join('; ') };
    if (current.gate && !current.gate.pass) {
      if (!options.force) throw gateFailedError(id, current.gate);
      // The override comes first (the local registry puts it after the person's note): SageMaker keeps the note
      // in a metadata value of 256 characters, escapes included, which a long note of the person's would fill.
      options = { ...options, note: [gateOverrideNote(current.gate), options.note].filter(Boolean).join('; ') };
    }
    const at = this.now().toISOString();
    const before = champion?.id ?? null;
    const approved = await this.pointerFirst({ id, arn, status: 'Approved', at }, id, before, options);
    await this.audited(`${id} is Approved`, [
      this.keepDecision(id, { status: 'Approved', at, ...decider(options), ...(current.gate ? { gate: current.gate } : {}) }),
      ...(before === id ? [] : [this.keepChampionChange({ id, at, via: 'approve', ...decider(options) }, before)]),
    ]);
    return this.withRecords(approved);
  }

  /**
   * Keeps the gate's outcome as `<prefix><id>.gate.json`, replacing an earlier one (one PutObject: a reader sees
   * the old record or the new, whole), on a version awaiting its decision. An id with no package is refused
   * (REGISTRY_NOT_FOUND), an Approved or Rejected one (REGISTRY_DECIDED: the record is the gate its decision was
   * made on), before anything is written. The status is read first and the record written after: a decision made in
   * between (the console, another writer) is not seen; the bucket's object versions and CloudTrail keep what was.
   */
  async recordGate(id: string, gate: GateRecord): Promise<ModelVersion> {
    const record = GateRecordSchema.parse(gate);
    const { version } = await this.find(id);
    if (version.status !== 'PendingManualApproval') throw gateDecidedError(version);
    await this.options.s3.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: this.gateKey(id), ContentType: 'application/json', Body: JSON.stringify(record) }));
    return { ...version, gate: record, history: [registration(version), ...(await this.decisions(id))] };
  }

  /**
   * Rejecting the champion hands the pointer back to the previous champion, as the deployer rolls the endpoint
   * back to it: every approval deployed and moved the pointer, so the champions were the Approved versions in the
   * order they were approved, and the one before is the other Approved version approved last. Every Approved
   * version was champion once, so there is no version never made champion to fall back to (as the local
   * registry's rule has). A Rejected version is left as it is: no second decision, no event. The decision is
   * recorded with the gate it was made on, and a rollback in the champion history with the rejection's `by` and
   * note (none when no version is left to roll back to), as the local registry records them.
   */
  async reject(id: string, options: StatusChangeOptions = {}): Promise<ModelVersion> {
    const champion = (await this.currentChampion())?.id ?? null;
    const { arn, version } = await this.find(id);
    if (version.status === 'Rejected') return this.withRecords(version);
    const gate = await this.readGate(id); // the evaluation this decision is made on
    const at = this.now().toISOString();
    const decision: StatusChange = { status: 'Rejected', at, ...decider(options), ...(gate ? { gate } : {}) };
    if (champion !== id) {
      const rejected = await this.setStatus(arn, 'Rejected', options, at);
      await this.audited(`${id} is Rejected`, [this.keepDecision(id, decision)]);
      return this.withRecords(rejected);
    }
    const next = (await this.deployedId(id)) ?? null;
    const rejected = await this.pointerFirst({ id, arn, status: 'Rejected', at }, next, id, options);
    await this.audited(`${id} is Rejected`, [
      this.keepDecision(id, decision),
      ...(next === null ? [] : [this.keepChampionChange({ id: next, at, via: 'rollback', ...decider(options) }, id)]),
    ]);
    return this.withRecords(rejected);
  }

  /** Adds a decision made to `id`'s decision records. */
  private async keepDecision(id: string, decision: StatusChange): Promise<void> {
    await appendDecision(this.options.s3, this.options.bucket, this.prefix, id, decision);
  }

  /** Adds a change of champion to the champion history (`before`: the champion it replaced, which starts a history never written). */
  private async keepChampionChange(change: ChampionChange, before: string | null): Promise<void> {
    await appendChampionChange(this.options.s3, this.options.bucket, this.historyKey(), change, before);
  }

  /**
   * Waits for the audit records of something `done` (a status change SageMaker has, a pointer moved). A write that
   * failed cannot undo it, so the error (REGISTRY_INDEX_INVALID) says it stands and is not to be made again.
   */
  private async audited(done: string, writes: Array<Promise<void>>): Promise<void> {
    const failed = (await Promise.allSettled(writes)).flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failed.length === 0) return;
    throw new RegistryError(
      'REGISTRY_INDEX_INVALID',
      `${done} (that stands: do not make it again), but its record in the registry's audit trail under s3://${this.options.bucket}/${this.prefix} could not be written (${failed.map(String).join('; ')}); ` +
        'the model package (status, ApprovalDescription, mailroute: metadata) and CloudTrail have the decision',
      { cause: failed[0] },
    );
  }

  /**
   * Writes the pointer, then sets the status (which sends the event the deployer acts on). When that call
   * fails the package is described again: the update may have been applied though its answer, or the
   * describe after it, was lost (the deployer then deploys it), so the pointer stays. Only a status known
   * not to have changed puts the previous pointer back, so the pointer never names a version the endpoint
   * will not serve; when the status cannot be read, or the pointer cannot be put back, the error says what
   * to check and fix. Both writes are conditional (movePointer): `previous` is what the pointer named when
   * this write replaced it, and it is put back only where the pointer is still this write's; another
   * writer's move since (a second approval) stands.
   */
  private async pointerFirst(
    { id, arn, status, at }: { id: string; arn: string; status: 'Approved' | 'Rejected'; at: string },
    next: string | null,
    previous: string | null,
    options: StatusChangeOptions,
  ): Promise<ModelVersion> {
    const move = await this.movePointer(async () => next);
    if (move.before !== undefined) previous = move.before.id;
    let changed: ModelVersion;
    try {
      changed = await this.setStatus(arn, status, options, at);
    } catch (error) {
      let after: ModelVersion;
      try {
        after = await this.describe(arn);
      } catch (check) {
        throw new RegistryError(
          'REGISTRY_INDEX_INVALID',
          `setting ${id} to ${status} failed (${String(error)}) and its status could not be read back (${String(check)}), so s3://${this.options.bucket}/${this.prefix}champion.json was left at ${JSON.stringify(next)}: ` +
            `check the ModelApprovalStatus of ${arn}; if it is not ${status}, write {"id": ${JSON.stringify(previous)}} to champion.json`,
          { cause: error },
        );
      }
      if (after.status === status) return this.settled(after); // applied: the deployer acts on it, the pointer follows
      await restoreChampionPointer(this.options.s3, this.options.bucket, this.pointerKey(), previous, this.now(), move.etag).catch((restore: unknown) => {
        throw new RegistryError(
          'REGISTRY_INDEX_INVALID',
          `the status change failed (${String(error)}) and ${this.prefix}champion.json, already set to ${next}, could not be set back to ${previous} (${String(restore)}): write {"id": ${JSON.stringify(previous)}} to it`,
          { cause: error },
        );
      });
      throw error;
    }
    return this.settled(changed);
  }

  /**
   * After a status change, the pointer names what the deployer deploys last (`deployedId`): another approval whose
   * status landed after this one's (two people approving at once) is what the endpoint ends up serving, though
   * this one wrote the pointer last. Not settled (the pointer left as written) when the group cannot be read; with
   * no Approved version left (the last champion rejected), the pointer stays as written (null). The group is read
   * after the pointer (movePointer), and the pointer is written even when it names that version already: a settle
   * that read the group before another approval landed (and would put back the version deployed before it) then
   * finds the pointer changed by the other's settle, and reads the group again, instead of writing over it.
   */
  private async settled(changed: ModelVersion): Promise<ModelVersion> {
    await this.movePointer(async () => this.deployedId().catch(() => undefined)).catch(() => undefined);
    return changed;
  }

  async champion(): Promise<ModelVersion | undefined> {
    const champion = await this.currentChampion();
    return champion && this.withRecords(champion);
  }

  /** The champion as its package says it (no gate record): what the registry's own decisions need. */
  private async currentChampion(): Promise<ModelVersion | undefined> {
    return this.championOf(await readChampionPointer(this.options.s3, this.options.bucket, this.pointerKey()));
  }

  /** The champion `pointer` names; the newest Approved version where it was never written. */
  private async championOf(pointer: ChampionPointer | undefined): Promise<ModelVersion | undefined> {
    if (pointer) return pointer.id === null ? undefined : (await this.find(pointer.id)).version;
    return (await this.versions()).find((v) => v.status === 'Approved');
  }

  /**
   * Only the champion itself or the version deployed last (an approval in the SageMaker console moves the
   * endpoint, not the pointer; this puts the pointer back in step): the endpoint serves what was approved
   * last, and a pointer moved elsewhere would not move it. A change of champion (the version approved in the console
   * made champion) goes into the champion history with `by` and `note`, as the local registry keeps it.
   */
  async setChampion(id: string, options: StatusChangeOptions = {}): Promise<void> {
    const { version } = await this.find(id);
    if (version.status !== 'Approved') throw new RegistryError('REGISTRY_NOT_APPROVED', `${id} is ${version.status}; only an Approved version can be champion`);
    const before = await this.pointTo(id, `make ${id} the champion`);
    if (before !== id) await this.audited(`${id} is the champion`, [this.keepChampionChange({ id, at: this.now().toISOString(), via: 'champion', ...decider(options) }, before)]);
  }

  /** The ids of every champion, oldest first (repeats included), as far as the champion history kept them: the local registry's `championHistory`. */
  async championHistory(): Promise<string[]> {
    return ((await this.readHistory()) ?? []).map((c) => c.id);
  }

  /**
   * Every change of champion made through the registry, oldest first, with when, how, by whom and why (the local
   * registry's `championChanges`): a registry from before the history, the champion then, with no time, first.
   */
  async championChanges(): Promise<ChampionChange[]> {
    const changes = await this.readHistory();
    if (changes !== undefined) return changes;
    const champion = await this.currentChampion();
    return champion ? [{ id: champion.id }] : [];
  }

  /** Whether the champion history holds every champion the registry had (the local registry's `championHistoryComplete`). */
  async championHistoryComplete(): Promise<boolean> {
    const changes = await this.readHistory();
    if (changes === undefined) return (await this.currentChampion()) === undefined && (await this.versions()).every((v) => v.status !== 'Approved');
    return changes.length === 0 || changes[0].at !== undefined;
  }

  private async readHistory(): Promise<ChampionChange[] | undefined> {
    return readChampionHistory(this.options.s3, this.options.bucket, this.historyKey());
  }

  private historyKey(): string {
    return `${this.prefix}${CHAMPION_HISTORY}`;
  }

  /**
   * Points the pointer at `id` where it is the champion or the version deployed last, else refuses `what`
   * (REGISTRY_NOT_SUPPORTED); checked on the pointer as the conditional write finds it, again after another
   * writer moved it in between. Answers the champion it found there (null: none).
   */
  private async pointTo(id: string, what: string): Promise<string | null> {
    let before: string | null = null;
    await this.movePointer(async (pointer) => {
      before = (await this.championOf(pointer))?.id ?? null;
      if (before !== id && (await this.deployedId()) !== id) throw notSupported(what);
      return id;
    });
    return before;
  }

  private pointerKey(): string {
    return `${this.prefix}champion.json`;
  }

  /** Moves `<prefix>champion.json` by compare-and-swap (moveChampionPointer): two writers at once never lose a move. */
  private async movePointer(decide: (current: ChampionPointer | undefined) => Promise<string | null | undefined>): Promise<PointerMove> {
    return moveChampionPointer(this.options.s3, this.options.bucket, this.pointerKey(), decide, this.now);
  }

  /**
   * Downloads the artifact (once, into the cache), then checks its manifest is the one registered. A download
   * enters the cache only once every file the manifest lists has its sha256 (what the server checks at load):
   * a damaged copy in the bucket fails with REGISTRY_ARTIFACT_TAMPERED naming the file, instead of being
   * cached and handed out again after the bucket is restored.
   */
  async artifactDir(id: string): Promise<string> {
    const { version } = await this.find(id); // unknown ids fail with the registry's error, not an S3 one
    const dir = await downloadPrefixAtomically(this.options.s3, this.options.bucket, `${this.prefix}${id}/`, path.join(this.options.cacheDir, id), (copy) =>
      this.checkDownload(copy, version),
    );
    if (version.manifestSha256 !== undefined) {
      // A copy that fails the check leaves the cache, so the next call downloads again (the bucket may be restored by then).
      await checkManifest(dir, id, version.manifestSha256).catch(async (error: unknown) => {
        await rm(dir, { recursive: true, force: true });
        throw error;
      });
    }
    return dir;
  }

  /** The registered artifact's check on a fresh download, its errors naming the artifact in S3 (the copy is deleted). */
  private async checkDownload(copy: string, version: ModelVersion): Promise<void> {
    await checkRegisteredArtifact(copy, version.id, version.manifestSha256).catch((error: unknown) => {
      if (!(error instanceof RegistryError)) throw error;
      throw new RegistryError(error.code, error.message.replaceAll(copy, this.artifactUri(version.id)), { cause: error });
    });
  }

  /** Sets the status with the decision's `by`, note and time `at` (what its decision record says too). */
  private async setStatus(arn: string, status: 'Approved' | 'Rejected', options: StatusChangeOptions, at: string): Promise<ModelVersion> {
    const metadata = statusChangeMetadata(options.by, at, options.note);
    await this.options.sagemaker.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: arn,
        ModelApprovalStatus: status,
        ApprovalDescription: approvalDescription(options.note),
        CustomerMetadataProperties: metadata.props,
        CustomerMetadataPropertiesToRemove: metadata.remove,
      }),
    );
    return this.describe(arn);
  }

  private async find(id: string): Promise<{ arn: string; version: ModelVersion }> {
    const found = await this.lookup(id);
    if (!found) throw new RegistryError('REGISTRY_NOT_FOUND', `no model version ${id} in ${this.options.modelPackageGroupName}`);
    return found;
  }

  /** The package whose mailroute:id is `id`, newest first; undefined when none is. */
  private async lookup(id: string): Promise<{ arn: string; version: ModelVersion } | undefined> {
    for (const arn of await this.packageArns()) {
      const version = await this.describe(arn);
      if (version.id === id) return { arn, version };
    }
    return undefined;
  }

  private async describe(arn: string): Promise<ModelVersion> {
    return (await this.describeWithTime(arn)).version;
  }

  /** A package as a version, with when it last changed (its status or metadata; creation when never). */
  private async describeWithTime(arn: string): Promise<{ version: ModelVersion; changedAt: number }> {
    const pkg = await this.options.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
    return { version: fromModelPackage(pkg), changedAt: (pkg.LastModifiedTime ?? pkg.CreationTime ?? new Date(0)).getTime() };
  }

  private async packageArns(): Promise<string[]> {
    const arns: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.options.sagemaker.send(
        new ListModelPackagesCommand({
          ModelPackageGroupName: this.options.modelPackageGroupName,
          ModelPackageType: 'Versioned',
          SortBy: 'CreationTime',
          SortOrder: 'Descending',
          MaxResults: 100,
          NextToken: token,
        }),
      );
      for (const summary of out.ModelPackageSummaryList ?? []) if (summary.ModelPackageArn) arns.push(summary.ModelPackageArn);
      token = out.NextToken;
    } while (token);
    return arns;
  }
}

/** A version's first history entry: its registration, as the local registry's history starts. */
function registration(version: ModelVersion): StatusChange {
  return { status: 'PendingManualApproval', at: version.createdAt };
}

/** `by` and `note` of a decision where given (an empty one is none), as the local registry keeps them. */
function decider(options: StatusChangeOptions): { by?: string; note?: string } {
  return { ...(options.by ? { by: options.by } : {}), ...(options.note ? { note: options.note } : {}) };
}

/** `fn` on every item, at most `limit` calls in flight at once; the results in the items' order. */
async function atMostAtOnce<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * What cannot be done on AWS, and what can: the deployer puts every version on the endpoint when it becomes
 * Approved, and on the rejection of the version serving rolls back to the other Approved one approved last.
 */
function notSupported(what: string): RegistryError {
  return new RegistryError(
    'REGISTRY_NOT_SUPPORTED',
    `cannot ${what} on AWS: the endpoint serves the version approved last (the deployer deploys every approval), ` +
      'and champion.json follows it (setChampion or approve of the version approved last, in the console too, puts it in step). To serve an older version: reject the Approved versions approved after it (rejecting ' +
      'the one serving rolls the endpoint back to the Approved version approved before it), or, if it was rejected, approve it again with force',
  );
}

async function readJson(file: string, required: boolean): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await readBytes(file);
  } catch (error) {
    if (!required) return undefined;
    throw error;
  }
  return parseJson(bytes, file);
}

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (cause) {
    throw new RegistryArtifactError(`${path.basename(file)} missing in ${path.dirname(file)}`, { cause });
  }
}

function parseJson(bytes: Buffer, file: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new RegistryArtifactError(`${file} is not JSON`, { cause });
  }
}
