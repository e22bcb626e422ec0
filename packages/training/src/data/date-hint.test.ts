import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { loadDataset } from './dataset.js';

const config = parseTrainingConfig({ columns: { subject: 'subject', receivedAt: 'received' }, tasks: [{ name: 'queue' }], onBadRow: 'skip' });

describe('a received time in a form mailroute does not read', () => {
  it('is said with what it probably is: a spreadsheet day number, seconds since 1970, a day-first date', async () => {
    const p = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-dates-')), 'dates.csv');
    writeFileSync(p, 'subject,received,queue\na,45352.4375,x\nb,1740824100,x\nc,03.11.2025 10:15,x\nd,11/03/2025,x\ng,29.05.2026 17:36,x\nh,05/29/2026,x\ne,gestern,x\nz,0000-00-00 00:00:00,x\nf,2025-11-03 10:15,x\n');
    const ds = await loadDataset(p, config);
    expect(ds.skipped.map((s) => s.replace(/^.*?: not a date\/time: /, ''))).toEqual([
      '"45352.4375" (a spreadsheet\'s day number? Format the column as a date and time (yyyy-mm-dd hh:mm:ss) before exporting, or use ISO 8601, e.g. 2025-11-03T10:15:00Z, or a Date header\'s form)',
      '"1740824100" (seconds or milliseconds since 1970? Export them as dates: use ISO 8601, e.g. 2025-11-03T10:15:00Z, or a Date header\'s form)',
      '"03.11.2025 10:15" (day first or month first cannot be told apart, so neither is guessed (a config with "dateOrder": "day-first" reads 03.11.2025 as 3 November): use ISO 8601, e.g. 2025-11-03T10:15:00Z, or a Date header\'s form)',
      '"11/03/2025" (day first or month first cannot be told apart, so neither is guessed (a config with "dateOrder": "day-first" reads 03.11.2025 as 3 November): use ISO 8601, e.g. 2025-11-03T10:15:00Z, or a Date header\'s form)',
      // One that could be only one of them says which, rather than that it cannot be told.
      '"29.05.2026 17:36" (a day-first date; mailroute reads neither day-first nor month-first dates, as one such as 03.11.2025 could be either, unless the config says "dateOrder": "day-first": use ISO 8601, e.g. 2025-11-03T10:15:00Z, or a Date header\'s form)',
      '"05/29/2026" (a month-first date; mailroute reads neither day-first nor month-first dates, as one such as 03.11.2025 could be either: use ISO 8601, e.g. 2025-11-03T10:15:00Z, or a Date header\'s form)',
      '"gestern" (use ISO 8601, e.g. 2025-11-03T10:15:00Z, or a Date header\'s form)',
      '"0000-00-00 00:00:00" (a month or day of 00: a placeholder for an unset date (a database\'s zero date)? Fill the date in, or leave such rows out ("onBadRow": "skip"))',
    ]);
    expect(ds.rows).toHaveLength(1);
  });

  it('says a date that does not exist is none, not a day-first date to read with "dateOrder" (QA: 31/02/2025)', async () => {
    const p = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-dates-')), 'missing.csv');
    writeFileSync(p, 'subject,received,queue\na,31/02/2025,x\nb,02/31/2025 10:00,x\nc,2025-02-29,x\nd,31/31/2025,x\ne,29.02.2024,x\nf,2025-02-28,x\n');
    const hints = async (order: object) => (await loadDataset(p, { ...config, ...order })).skipped.map((s) => s.replace(/^.*?: not a date\/time: /, ''));
    expect(await hints({})).toEqual([
      '"31/02/2025" (31 February 2025 does not exist, as February 2025 has 28 days: fix the date in the export)',
      '"02/31/2025 10:00" (31 February 2025 does not exist, as February 2025 has 28 days: fix the date in the export)',
      '"2025-02-29" (29 February 2025 does not exist, as February 2025 has 28 days: fix the date in the export)',
      '"31/31/2025" (neither number can be the month (31 and 31): not a date; use ISO 8601, e.g. 2025-11-03T10:15:00Z, or a Date header\'s form)',
      '"29.02.2024" (a day-first date; mailroute reads neither day-first nor month-first dates, as one such as 03.11.2025 could be either, unless the config says "dateOrder": "day-first": use ISO 8601, e.g. 2025-11-03T10:15:00Z, or a Date header\'s form)',
    ]);
    // Read day first, as the config says: the day that does not exist, or the month.
    expect(await hints({ dateOrder: 'day-first' })).toEqual([
      '"31/02/2025" (read day first ("dateOrder": "day-first"), 31 February 2025 does not exist, as February 2025 has 28 days: fix the date in the export)',
      '"02/31/2025 10:00" (read day first ("dateOrder": "day-first"), its month 31 does not exist: fix the date in the export)',
      '"2025-02-29" (29 February 2025 does not exist, as February 2025 has 28 days: fix the date in the export)',
      '"31/31/2025" (read day first ("dateOrder": "day-first"), its month 31 does not exist: fix the date in the export)',
    ]);
  });
});
