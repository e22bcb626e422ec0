import type { StackConfig } from './config.js';
import { physicalName } from './naming.js';

/**
 * EventBridge Scheduler expressions: `cron(min hour day-of-month month day-of-week year)` (six fields,
 * one of the two day fields `?`), `rate(n unit)` or `at(yyyy-mm-ddThh:mm:ss)`. Returns a problem or
 * undefined; AWS would only say so at deploy time.
 */
export function validateScheduleExpression(expression: string): string | undefined {
  // CreateSchedule's ScheduleExpression: 1 to 256 characters, which long cron lists (every minute named) pass.
  if (expression.length > 256) return `${expression.length} characters: Scheduler takes an expression of at most 256`;
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) {
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6) return `cron needs 6 fields (min hour day month weekday year), got ${fields.length}`;
    const [, , dayOfMonth, , dayOfWeek] = fields;
    if ((dayOfMonth === '?') === (dayOfWeek === '?')) return 'exactly one of day-of-month and day-of-week must be "?"';
    for (const [i, field] of fields.entries()) {
      const problem = cronFieldProblem(CRON_FIELDS[i], field);
      if (problem) return `cron ${CRON_FIELDS[i].name} "${field}": ${problem}`;
    }
    return undefined;
  }
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    if (n < 1) return 'rate must be at least 1';
    if ((n === 1) !== !rate[2].endsWith('s')) return `use "${n} ${n === 1 ? rate[2].replace(/s$/, '') : `${rate[2].replace(/s$/, '')}s`}"`;
    return undefined;
  }
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (at) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number);
    const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    // Date.UTC rolls 2027-02-30 over into March: a date that does not survive the round trip does not exist.
    const exists = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
    if (!exists || hour > 23 || minute > 59 || second > 59) return `at(...) names no date and time: ${expression}`;
    return undefined;
  }
  return `not a schedule expression: ${expression}`;
}

interface CronField {
  name: string;
  min: number;
  max: number;
  /** Names that stand for numbers (JAN = 1, SUN = 1). */
  names?: readonly string[];
  /** The wildcards besides `, - * /` this field takes. */
  extra: { question?: true; last?: true; weekday?: true; nth?: true };
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** The value ranges and wildcards of EventBridge Scheduler's cron fields, in order. */
const CRON_FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59, extra: {} },
  { name: 'hours', min: 0, max: 23, extra: {} },
  { name: 'day-of-month', min: 1, max: 31, extra: { question: true, last: true, weekday: true } },
  { name: 'month', min: 1, max: 12, names: MONTHS, extra: {} },
  { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS, extra: { question: true, last: true, nth: true } },
  { name: 'year', min: 1970, max: 2199, extra: {} },
];

/** Why one cron field is not valid, or undefined. */
function cronFieldProblem(spec: CronField, field: string): string | undefined {
  if (field === '?') return spec.extra.question ? undefined : '"?" is only for day-of-month or day-of-week';
  const value = (text: string): string | undefined => {
    const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
    if (index >= 0) return undefined;
    if (!/^\d+$/.test(text)) return `"${text}" is not a value of this field (${spec.min}-${spec.max}${spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : ''})`;
    const n = Number(text);
    return n < spec.min || n > spec.max ? `${n} is outside ${spec.min}-${spec.max}` : undefined;
  };
  // Scheduler reads "3#1,6#3" as two expressions and refuses it: a "#" item stands alone in its field.
  if (spec.extra.nth && field.includes('#') && field.includes(',')) return '"#" takes one expression in the field: a list such as 3#1,6#3 is refused';
  for (const item of field.split(',')) {
    if (spec.extra.last && (item === 'L' || (spec.extra.weekday && /^L(W|-([1-9]|[12]\d|30))$/.test(item)))) continue;
    const weekday = spec.extra.weekday ? /^(\w+)W$/.exec(item) : null;
    if (weekday) {
      const problem = value(weekday[1]);
      if (problem) return problem;
      continue;
    }
    const lastOf = spec.extra.nth ? /^(\w+)L$/.exec(item) : null;
    if (lastOf) {
      const problem = value(lastOf[1]);
      if (problem) return problem;
      continue;
    }
    const nth = spec.extra.nth ? /^(\w+)#(\d+)$/.exec(item) : null;
    if (nth) {
      const problem = value(nth[1]) ?? (Number(nth[2]) < 1 || Number(nth[2]) > 5 ? `#${nth[2]}: a weekday occurs 1 to 5 times a month` : undefined);
      if (problem) return problem;
      continue;
    }
    const [base, step, ...more] = item.split('/');
    if (more.length > 0) return `"${item}" has more than one "/"`;
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `step "/${step}" must be a positive whole number`;
    if (base === '*') continue;
    const ends = base.split('-');
    if (ends.length > 2 || ends.some((end) => end === '')) return `"${item}" is not a value, a range a-b, "*" or a step`;
    for (const end of ends) {
      const problem = value(end);
      if (problem) return problem;
    }
  }
  return undefined;
}

/**
 * Why EventBridge Scheduler would refuse a schedule's time zone, or undefined: it takes IANA names (Europe/Berlin, UTC),
 * spelled as IANA spells them. Node's Intl takes any case ("europe/berlin"), so a name is checked against the spellings
 * Intl knows: the zone it resolves to and its list of canonical zones. An alias Intl resolves to another zone (Etc/UTC
 * to UTC, Asia/Kolkata to Asia/Calcutta) is not in them, and Intl does not say how it is spelled: it is taken when each
 * part starts with a capital, as every IANA name's does.
 */
export function timezoneProblem(timezone: string): string | undefined {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    return `not an IANA time zone (such as Europe/Berlin or UTC): ${timezone}`;
  }
  const spellings = [resolved, ...Intl.supportedValuesOf('timeZone')];
  if (spellings.includes(timezone)) return undefined;
  const spelled = spellings.find((name) => name.toLowerCase() === timezone.toLowerCase());
  if (spelled !== undefined || timezone.split('/').some((part) => !/^[A-Z]/.test(part))) {
    return `"${timezone}" is not spelled as the IANA name: use "${spelled ?? resolved}"`;
  }
  return undefined;
}

/** Scheduler's limit on a schedule's description (CreateSchedule's Description). */
export const SCHEDULE_DESCRIPTION_MAX = 512;

/**
 * The retraining schedule's description: what it starts, not what that does: the stack's pipeline trains on
 * the CRM exports someone put under data/ (and, where it exports them first, the confirmed cases of the feedback
 * table), and a Lambda target is the stack owner's.
 */
export function retrainingScheduleDescription(
  config: { retraining: Pick<StackConfig['retraining'], 'dataPrefix'> & { exportFeedback?: boolean }; feedback?: Pick<StackConfig['feedback'], 'storeText'> },
  startsOwnPipeline: boolean,
): string {
  if (!startsOwnPipeline) return 'mailroute: starts the configured retraining target';
  const feedback = exportsFeedback(config) ? ' and the confirmed cases of the feedback table, exported there first' : '';
  return `mailroute: starts the retraining pipeline (trains on the CRM exports under s3://<artifact bucket>/${config.retraining.dataPrefix}${feedback})`;
}

/**
 * Whether the stack creates the retraining target itself: the default pipeline `<prefix>-retrain`, unset or
 * named. A Lambda target, or a pipeline of another name, is the stack owner's and is only scheduled.
 */
export function createsRetrainingPipeline(config: Pick<StackConfig, 'environment' | 'retraining'>): boolean {
  const t = config.retraining.target;
  return t === undefined || (t.kind === 'sagemaker-pipeline' && t.pipelineName === physicalName(config, 'retrain'));
}

/**
 * Whether the stack's pipeline exports the confirmed cases before Train (its ExportFeedback step): the stack keeps the
 * emails' text (`feedback.storeText`) and does not leave the step out (`retraining.exportFeedback`).
 */
export function exportsFeedback(config: { feedback?: { storeText: boolean }; retraining: { exportFeedback?: boolean } }): boolean {
  return config.feedback?.storeText === true && config.retraining.exportFeedback !== false;
}
