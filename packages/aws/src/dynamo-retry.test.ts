import { describe, expect, it } from 'vitest';
import { StoreError } from '@mailroute/serving';
import { StoreUnavailableError } from './errors.js';
import { toStoreError } from './dynamo-retry.js';

const named = (name: string) => Object.assign(new Error(name), { name });
const withCode = (code: string) => Object.assign(new Error(`socket ${code}`), { code });

describe('toStoreError', () => {
  it('maps transient failures left after the SDK retried to 503 STORE_UNAVAILABLE, with the cause', () => {
    for (const error of [named('ThrottlingException'), named('TimeoutError'), named('RequestTimeout'), named('RequestTimeoutException'), withCode('ECONNRESET'), withCode('ETIMEDOUT'), withCode('EPIPE'), withCode('ECONNREFUSED'), withCode('EAI_AGAIN')]) {
      const mapped = toStoreError(error, 'the write');
      expect(mapped, error.message).toBeInstanceOf(StoreUnavailableError);
      expect(mapped).toMatchObject({ code: 'STORE_UNAVAILABLE', status: 503, retryAfterSeconds: 1 });
      expect(mapped.cause).toBe(error);
    }
  });

  it('maps anything else to 500 STORE_FAILED', () => {
    for (const error of [named('ResourceNotFoundException'), named('AccessDeniedException'), withCode('ENOTFOUND'), 'a string', undefined]) {
      const mapped = toStoreError(error, 'the write');
      expect(mapped).toBeInstanceOf(StoreError);
      expect(mapped).toMatchObject({ code: 'STORE_FAILED', status: 500 });
    }
    // A socket error is named by its code (a plain Error's name says nothing), an SDK error by its name.
    expect(toStoreError(withCode('ENOTFOUND'), 'the scan').message).toBe('DynamoDB failed the scan (ENOTFOUND)');
    expect(toStoreError(Object.assign(named('CredentialsProviderError'), { code: 'X' }), 'the scan').message).toBe('DynamoDB failed the scan (CredentialsProviderError)');
  });
});
