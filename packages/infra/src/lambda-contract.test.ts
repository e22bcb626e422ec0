import { describe, it, expect } from 'vitest';
import { API_ENV, DEPLOYER_ENV, DYNAMO_TABLE_LAYOUT, QUALITY_ENV, QUALITY_METRIC } from '@mailroute/aws';
import { API_LAMBDA_ENV, DEPLOYER_LAMBDA_ENV, QUALITY_LAMBDA_ENV } from './lambda-env.js';
import { LIVE_QUALITY_METRIC, QUALITY_NAMESPACE } from './monitoring-plan.js';
import { FEEDBACK_TABLE_LAYOUT } from './components/feedback-storage.js';

// The program repeats these names so it does not load the AWS SDK; they must equal the adapters'.
describe('contract between the program and the code it deploys', () => {
  it('builds the table the DynamoDB store expects', () => {
    expect(FEEDBACK_TABLE_LAYOUT).toEqual(DYNAMO_TABLE_LAYOUT);
  });
  it('sets the environment the deployer and the API Lambda read', () => {
    expect(DEPLOYER_LAMBDA_ENV).toEqual(DEPLOYER_ENV);
    expect(API_LAMBDA_ENV).toEqual(API_ENV);
    expect(QUALITY_LAMBDA_ENV).toEqual(QUALITY_ENV);
  });
  it('alarms on the metric the quality reporter publishes', () => {
    expect({ namespace: QUALITY_NAMESPACE, name: LIVE_QUALITY_METRIC }).toEqual(QUALITY_METRIC);
  });
});
