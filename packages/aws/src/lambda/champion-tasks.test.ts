import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { RegistryArtifactError } from '../errors.js';
import { loadModelInfo, loadModelTasks } from './champion-tasks.js';

const s3 = new S3Client({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const s3Mock = mockClient(s3);
const body = (text: string) => ({ Body: { transformToString: async () => text } }) as never;

describe('loadModelTasks', () => {
  beforeEach(() => s3Mock.reset());

  it('reads the task list of a model from its manifest, aliases included', async () => {
    s3Mock.on(GetObjectCommand, { Key: 'models/m1/manifest.json' }).resolves(body(JSON.stringify({ tasks: [{ name: 'queue', labels: ['cards'] }], trainingConfig: { tasks: [{ name: 'queue', aliases: { karten: 'cards' } }] } })));
    expect(await loadModelTasks(s3, 'b', 'models/', 'm1')).toEqual([expect.objectContaining({ name: 'queue', labels: ['cards'], aliases: { karten: 'cards' } })]);
  });

  it('reads how the model routes where its manifest says (routing and every task\'s threshold), else nothing', async () => {
    const tasks = [{ name: 'queue', labels: ['cards', 'payments'], threshold: 0.5 }, { name: 'topic', labels: ['pin'], threshold: 0 }];
    s3Mock.on(GetObjectCommand, { Key: 'models/r1/manifest.json' }).resolves(body(JSON.stringify({ tasks, routing: { queueTask: 'queue', abstainTasks: ['queue', 'topic'] } })));
    expect((await loadModelInfo(s3, 'b', 'models/', 'r1')).routing).toEqual({ queueTask: 'queue', abstainTasks: ['queue', 'topic'], thresholds: { queue: 0.5, topic: 0 } });
    s3Mock.on(GetObjectCommand, { Key: 'models/r2/manifest.json' }).resolves(body(JSON.stringify({ tasks: [tasks[0], { name: 'topic', labels: ['pin'] }], routing: { queueTask: 'queue' } })));
    expect((await loadModelInfo(s3, 'b', 'models/', 'r2')).routing).toBeUndefined();
    s3Mock.on(GetObjectCommand, { Key: 'models/r3/manifest.json' }).resolves(body(JSON.stringify({ tasks, routing: { queueTask: 'queue', automatedQueues: { auto_reply: 'auto_replies' } } })));
    expect((await loadModelInfo(s3, 'b', 'models/', 'r3')).routing?.automatedQueues).toEqual({ auto_reply: 'auto_replies' });
    s3Mock.on(GetObjectCommand, { Key: 'models/r4/manifest.json' }).resolves(body(JSON.stringify({ tasks, routing: { queueTask: 'queue', automatedQueues: { auto_reply: 42 } } })));
    expect((await loadModelInfo(s3, 'b', 'models/', 'r4')).routing).toEqual({ queueTask: 'queue', abstainTasks: ['queue'], thresholds: { queue: 0.5, topic: 0 } });
  });

  it('reads the labels training merged into other as other', async () => {
    s3Mock.on(GetObjectCommand, { Key: 'models/m2/manifest.json' }).resolves(body(JSON.stringify({ tasks: [{ name: 'topic', labels: ['cards', 'other'], mergedIntoOther: ['inheritance'] }] })));
    expect(await loadModelTasks(s3, 'b', 'models/', 'm2')).toEqual([{ name: 'topic', labels: ['cards', 'other'], aliases: { inheritance: 'other' }, mergedIntoOther: ['inheritance'] }]);
  });

  it('says REGISTRY_NOT_FOUND for a model with no manifest (deleted), REGISTRY_ARTIFACT_INVALID for one without tasks', async () => {
    s3Mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } }));
    const gone = await loadModelTasks(s3, 'b', 'models/', 'deleted').catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(RegistryArtifactError);
    expect(gone).toMatchObject({ code: 'REGISTRY_NOT_FOUND' });
    s3Mock.on(GetObjectCommand, { Key: 'models/odd/manifest.json' }).resolves(body('{"modelId":"odd"}'));
    await expect(loadModelTasks(s3, 'b', 'models/', 'odd')).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID' });
  });

  it('says which object is not JSON (REGISTRY_ARTIFACT_INVALID), not a bare SyntaxError', async () => {
    s3Mock.on(GetObjectCommand, { Key: 'models/cut/manifest.json' }).resolves(body('{"tasks": [{"name": "queue", "lab'));
    await expect(loadModelTasks(s3, 'b', 'models/', 'cut')).rejects.toMatchObject({
      code: 'REGISTRY_ARTIFACT_INVALID',
      message: expect.stringContaining('s3://b/models/cut/manifest.json is not JSON'),
    });
  });
});
