import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateScheduleExpression } from './schedule.js';

/**
 * What EventBridge Scheduler's cron reference (docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html)
 * says of each field: its range, and the wildcards besides `, - * /` it takes. Written out again here, not imported,
 * so that the properties check schedule.ts against the reference rather than against itself.
 */
const FIELDS = [
  { min: 0, max: 59, names: [] as string[], wild: '' },
  { min: 0, max: 23, names: [], wild: '' },
  { min: 1, max: 31, names: [], wild: '?LW' },
  { min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'], wild: '' },
  { min: 1, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], wild: '?L#' },
  { min: 1970, max: 2199, names: [], wild: '' },
];

/** A value of field `i` as the reference allows it: a number in range or a name. */
const valueOf = (i: number) => {
  const { min, max, names } = FIELDS[i];
  const numbers = fc.integer({ min, max }).map(String);
  return names.length > 0 ? fc.oneof(numbers, fc.constantFrom(...names)) : numbers;
};

/** One item of field `i` the reference documents: a value, a range, `*`, a step, and the field's own wildcards. */
const validItem = (i: number) => {
  const v = valueOf(i);
  const items = [
    v,
    fc.tuple(v, v).map(([a, b]) => `${a}-${b}`),
    fc.constant('*'),
    fc.tuple(fc.oneof(v, fc.constant('*')), fc.integer({ min: 1, max: FIELDS[i].max - FIELDS[i].min + 1 })).map(([a, s]) => `${a}/${s}`),
  ];
  if (i === 2) items.push(fc.constant('L'), fc.integer({ min: 1, max: 31 }).map((d) => `${d}W`));
  return fc.oneof(...items);
};

/** A whole field: a list of one to three items; day-of-week may instead be one `n#k` or `nL` (a `#` stands alone). */
const validField = (i: number) => {
  const list = fc.array(validItem(i), { minLength: 1, maxLength: 3 }).map((items) => items.join(','));
  if (i !== 4) return list;
  return fc.oneof(list, fc.tuple(valueOf(4), fc.integer({ min: 1, max: 5 })).map(([d, k]) => `${d}#${k}`), valueOf(4).map((d) => `${d}L`), fc.constant('L'));
};

/** A cron expression the reference allows: one of the two day fields `?`, the other a field of its own. */
const validCron = fc
  .tuple(validField(0), validField(1), validField(2), validField(3), validField(4), validField(5), fc.boolean())
  .map(([min, hour, dom, month, dow, year, byWeekday]) => `cron(${min} ${hour} ${byWeekday ? '?' : dom} ${month} ${byWeekday ? dow : '?'} ${year})`);

/** Tokens that mix good items with what the reference refuses: values out of range, wildcards in the wrong field, `#` in lists. */
const anyToken = fc.oneof(
  fc.integer({ min: -1, max: 2300 }).map(String),
  fc.constantFrom('*', '?', 'L', 'LW', 'W', '#', '/', '-', ',', 'MON', 'JAN', 'FOO', '3#1', '6#3', '2#6', '5L', '15W', '0/0', '1/5', '1-5', '', 'L-3'),
);
const anyField = fc.tuple(fc.array(anyToken, { minLength: 1, maxLength: 4 }), fc.constantFrom('', ',')).map(([tokens, sep]) => tokens.join(sep));
/** A list that mixes items of the field with other fields' wildcards (`n#k`, `nW`, `nL`) and stray tokens. */
const mixedField = (i: number) => {
  const day = fc.integer({ min: 1, max: 7 });
  const wildcards = fc.oneof(fc.tuple(day, fc.integer({ min: 1, max: 5 })).map(([d, k]) => `${d}#${k}`), day.map((d) => `${d}W`), day.map((d) => `${d}L`));
  return fc.array(fc.oneof(validItem(i), wildcards, anyToken), { minLength: 2, maxLength: 3 }).map((items) => items.join(','));
};
/** Mostly a valid field, so that an expression with one bad field is common. */
const someField = (i: number) => fc.oneof({ arbitrary: validField(i), weight: 6 }, { arbitrary: mixedField(i), weight: 2 }, { arbitrary: anyField, weight: 1 });
/** Mostly six fields with one day field `?`, so that the other fields' checks are reached. */
const anyCron = fc.oneof(
  fc.tuple(fc.tuple(...[0, 1, 2, 3, 4, 5].map(someField)), fc.constantFrom(2, 4)).map(([fields, q]) => `cron(${fields.map((f, i) => (i === q ? '?' : f)).join(' ')})`),
  fc.array(anyField, { minLength: 5, maxLength: 7 }).map((fields) => `cron(${fields.join(' ')})`),
);

/** Whether an accepted cron expression keeps every rule of the reference that these properties look at. */
function keepsTheReference(expression: string): string | undefined {
  const fields = expression.slice(5, -1).split(' ');
  if (fields.length !== 6) return 'not 6 fields';
  if ((fields[2] === '?') === (fields[4] === '?')) return 'not exactly one "?" day field';
  for (const [i, named] of fields.entries()) {
    // Month and weekday names (JUL, WED) hold letters that are wildcards elsewhere: read them as their numbers.
    const field = FIELDS[i].names.reduce((text, name, n) => text.replaceAll(name, String(FIELDS[i].min + n)), named);
    for (const ch of '?LW#') if (field.includes(ch) && !FIELDS[i].wild.includes(ch)) return `"${ch}" in field ${i}`;
    if (field.includes('#') && field.includes(',')) return '"#" in a list';
    if (field.includes('?') && field !== '?') return '"?" with something else';
    // Values (not steps, not the k of n#k): numbers within range.
    const values = field.split(',').flatMap((item) => item.split('/')[0].split('#')[0].split('-'));
    for (const value of values) {
      const n = /^(\d+)W?L?$/.exec(value);
      if (n && (Number(n[1]) < FIELDS[i].min || Number(n[1]) > FIELDS[i].max)) return `${value} outside field ${i}`;
    }
  }
  return undefined;
}

describe('validateScheduleExpression (properties)', () => {
  it('accepts every cron expression the reference documents', () => {
    fc.assert(
      fc.property(validCron, (expression) => {
        expect(validateScheduleExpression(expression), expression).toBeUndefined();
      }),
      { seed: 1, numRuns: 500 },
    );
  });

  it('accepts no cron expression that breaks a rule of the reference, and says why it refuses one', () => {
    fc.assert(
      fc.property(fc.oneof(anyCron, validCron), (expression) => {
        const problem = validateScheduleExpression(expression);
        if (problem === undefined) expect(keepsTheReference(expression), expression).toBeUndefined();
        else expect(problem).toMatch(/\S/);
      }),
      { seed: 2, numRuns: 2000 },
    );
  });

  it('accepts no expression longer than the 256 characters CreateSchedule takes', () => {
    // Long lists of valid values: each field of its own passes, the whole may not fit.
    const list = (i: number) => fc.uniqueArray(fc.integer({ min: FIELDS[i].min, max: FIELDS[i].max }), { minLength: 1, maxLength: 60, size: 'max' }).map((values) => values.join(','));
    const longCron = fc.tuple(list(0), list(1), list(2), list(3)).map(([min, hour, dom, month]) => `cron(${min} ${hour} ${dom} ${month} ? *)`);
    fc.assert(
      fc.property(longCron, (expression) => {
        expect(validateScheduleExpression(expression) === undefined, expression).toBe(expression.length <= 256);
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('accepts rate(n unit) exactly for a positive n with the unit in its number', () => {
    const unit = fc.constantFrom('minute', 'minutes', 'hour', 'hours', 'day', 'days', 'week', 'weeks', 'second');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), unit, (n, u) => {
        const ok = validateScheduleExpression(`rate(${n} ${u})`) === undefined;
        expect(ok, `rate(${n} ${u})`).toBe(n >= 1 && ['minute', 'hour', 'day'].includes(u.replace(/s$/, '')) && (n === 1) === !u.endsWith('s'));
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  it('accepts at(...) exactly for a date and time that exists', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2199 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }), (y, mo, d, h, mi) => {
        const expression = `at(${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:00)`;
        const exists = mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate() && h <= 23 && mi <= 59;
        expect(validateScheduleExpression(expression) === undefined, expression).toBe(exists);
      }),
      { seed: 4, numRuns: 500 },
    );
  });
});
