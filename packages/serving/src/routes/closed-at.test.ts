import { describe, expect, it } from 'vitest';
import { json, jsonRequest, testAppBuilder } from '../test-support/harness.js';

const build = testAppBuilder();

/** Two days before the tests run: any offset of up to 14 hours keeps a time of that day in the past and kept. */
const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);

describe('closedAt and receivedAt read the same UTC offsets', () => {
  it('both read offsets of up to 14 hours, and neither one over it (RFC 3339 syntax, but no time zone\'s)', async () => {
    const { app } = await build();
    const offsets = ['Z', '+01:00', '-13:00', '+14:00', '-14:00', '+05:45', '+15:00', '-15:00', '+23:59', '-23:59', '+1500', '+15'];
    const readable: string[] = [];
    for (const offset of offsets) {
      const time = `${day}T10:15:00${offset}`;
      const classified = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'crm-1', subject: 'Rechnung', receivedAt: time }] })));
      const receivedAtRead = classified.warnings === undefined;
      const feedback = await app.request('/v1/feedback', jsonRequest({ emailId: 'crm-1', labels: { queue: 'billing' }, closedAt: time }));
      expect([offset, feedback.status === 202], await feedback.clone().text()).toEqual([offset, receivedAtRead]);
      if (receivedAtRead) readable.push(offset);
    }
    expect(readable).toEqual(['Z', '+01:00', '-13:00', '+14:00', '-14:00', '+05:45']);
  });

  it('says that the offset is why, in the refusal of closedAt and in the warning of receivedAt', async () => {
    const { app } = await build();
    const time = `${day}T10:15:00+15:00`;
    const refused = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'crm-1', labels: { queue: 'billing' }, closedAt: time })));
    expect(refused.issues[0].message).toMatch(/^Invalid date-time: the offset \+15:00 is more than 14 hours from UTC, which no time zone is; use ISO 8601/);
    const classified = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'crm-1', subject: 'Rechnung', receivedAt: time }] })));
    expect(classified.warnings).toEqual([expect.stringContaining(`receivedAt "${time}" of emails[0] (id "crm-1") was not read and was left out: Invalid date-time: the offset +15:00 is more than 14 hours from UTC`)]);
    // A time wrong otherwise is refused as before, without naming its offset.
    const otherwise = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'crm-1', labels: { queue: 'billing' }, closedAt: '2025-02-30T10:15:00+15:00' })));
    expect(otherwise.issues[0].message).toMatch(/^Invalid date-time: use ISO 8601/);
  });

  it('documents the bound on both', async () => {
    const { app } = await build();
    const { Email, FeedbackRequest } = (await json(app.request('/openapi.json'))).components.schemas;
    expect(Email.properties.receivedAt.description).toContain('with a UTC offset of at most 14 hours (as closedAt)');
    expect(FeedbackRequest.properties.closedAt.description).toContain('with a UTC offset of at most 14 hours (one over it, such as +15:00, is no time zone\'s: 400)');
  });
});
