import { describe, expect, it, vi } from 'vitest';
import * as pulumi from '@pulumi/pulumi';
import { setEngineConfig } from './testing/engine-config.js';
import { documentedStackOutputs } from './testing/readme-outputs.js';

// The outputs the program's stack registers, to compare with what main.ts exports (Pulumi's stack outputs).
const stackOutputs = vi.hoisted(() => ({ keys: [] as string[] }));
vi.mock('./stack.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./stack.js')>();
  return {
    ...actual,
    createProgram: (...args: Parameters<typeof actual.createProgram>) => {
      const program = actual.createProgram(...args);
      stackOutputs.keys = Object.keys(program.outputs);
      return program;
    },
  };
});

function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => { resolve(value); return value; }));
}

// The real entry (main.ts) as `pulumi up -s prod` would run it: config from Pulumi.prod.yaml as the
// engine passes it (strings, objects as JSON), resources mocked.
describe('main.ts (the program entry)', () => {
  it('reads the stack config the engine passes and exports the outputs', async () => {
    setEngineConfig('prod');
    const created: string[] = [];
    const alarms = new Map<string, Record<string, unknown>>();
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          created.push(args.type);
          if (args.type === 'aws:cloudwatch/metricAlarm:MetricAlarm') alarms.set(String(args.inputs.name), args.inputs);
          return { id: `${args.name}-id`, state: { ...args.inputs, arn: `arn:aws:mock:::${args.name}`, name: args.inputs.name ?? args.name, apiEndpoint: 'https://api.example.com' } };
        },
        call: (args) => args.inputs,
      },
      'mailroute',
      'prod',
      false,
    );
    const program = (await import('./main.js')) as Record<string, pulumi.Output<unknown>>;
    expect(await promiseOf(program.endpointName)).toBe('mailroute-prod-classifier');
    expect(await promiseOf(program.apiUrl)).toBe('https://api.example.com');
    expect(program.monthlyCostEstimateUsd).toBeGreaterThan(0);
    expect(created).toContain('pulumi:providers:aws');
    expect(created).toContain('aws:sagemaker/endpoint:Endpoint');
    // Pulumi.prod.yaml's stricter floor for the queue: an alarm of its own on the task's series, beside the worst task's.
    expect(alarms.get('mailroute-prod-live-quality-queue')).toMatchObject({ threshold: 0.75, dimensions: { Environment: 'prod', Task: 'queue' }, comparisonOperator: 'LessThanThreshold' });
    expect(alarms.get('mailroute-prod-live-quality')).toMatchObject({ threshold: 0.7, dimensions: { Environment: 'prod' } });
    // `pulumi stack output <name>` reads main.ts's exports only: every output the stack registers, and every one
    // the READMEs name (accessLogBucket, feedbackTable ...), must be one of them.
    const exported = Object.keys(program).sort();
    expect(stackOutputs.keys.length).toBeGreaterThan(0);
    expect(exported).toEqual([...stackOutputs.keys].sort());
    for (const name of documentedStackOutputs()) expect(exported, `README names the stack output ${name}`).toContain(name);
  }, 60_000);
});
