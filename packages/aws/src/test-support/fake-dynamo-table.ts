// A tiny in-memory DynamoDB table behind aws-sdk-client-mock, for the store's tests: enough of DynamoDB's
// semantics (the condition and update expressions the store writes, all-or-nothing transactions, GSI queries
// in key order, pages) to test its access patterns, not the SDK. It evaluates the store's words, never its intent.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';

export type Item = Record<string, unknown>;
type Names = Record<string, string>;
type Values = Record<string, unknown>;
type Out = never;

export interface FakeTableOptions {
  /** Items a query page holds at most (DynamoDB pages by size: small pages find stores that ignore LastEvaluatedKey). */
  pageItems?: number;
  /** Bytes (as JSON) a query page holds at most; DynamoDB's page is 1 MB. */
  pageBytes?: number;
}

/** What the table was asked to read: requests and items, as DynamoDB bills them. */
export interface FakeTableReads {
  queries: number;
  queryItems: number;
  queryBytes: number;
  batchGets: number;
  batchGetKeys: number;
  gets: number;
  scans: number;
}

const keyOf = (k: Item) => `${String(k.pk)}|${String(k.sk)}`;

/**
 * DynamoDB orders string keys by their UTF-8 bytes: `Q` before `p`, `p1` before `p_1`. (localeCompare would put
 * them the other way round, and so hide a store that orders another way than DynamoDB does.)
 */
const byteOrder = (a: unknown, b: unknown) => Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));

/** The value at `#m` or `#m.#k` (a key of the map `#m`, its own only), undefined where there is none. */
function valueAt(item: Item | undefined, path: string, names: Names): unknown {
  const [attribute, key] = path.split('.');
  const value = item?.[names[attribute]];
  if (key === undefined) return value;
  return typeof value === 'object' && value !== null && Object.hasOwn(value, names[key]) ? (value as Item)[names[key]] : undefined;
}

/**
 * `attribute_exists(#a)`, `attribute_not_exists(#a)` and `#a <op> :v` (each also of a map's key, `#m.#k`; numbers
 * compared as numbers, else as text; false where the item lacks `#a`), each optionally after NOT, joined by OR /
 * AND (AND binds first).
 */
function conditionHolds(expression: string, item: Item | undefined, names: Names, values: Values): boolean {
  const term = (t: string): boolean => {
    if (t.startsWith('NOT ')) return !term(t.slice(4).trim());
    const exists = /^attribute_(not_)?exists\((#\w+(?:\.#\w+)?)\)$/.exec(t);
    if (exists) return (valueAt(item, exists[2], names) !== undefined) === (exists[1] === undefined);
    const cmp = /^(#\w+(?:\.#\w+)?) (<=|<|>=|>|=) (:\w+)$/.exec(t);
    if (!cmp) throw new Error(`fake table: unsupported condition ${t}`);
    const stored = valueAt(item, cmp[1], names);
    if (stored === undefined) return false;
    const given = values[cmp[3]];
    const [a, b] = typeof stored === 'number' && typeof given === 'number' ? [stored, given] : [String(stored), String(given)];
    return { '<=': a <= b, '<': a < b, '>=': a >= b, '>': a > b, '=': a === b }[cmp[2] as '<=']!;
  };
  return expression.split(/ OR /).some((alt) => alt.split(/ AND /).every((t) => term(t.trim())));
}

/**
 * `SET #a = #b, #c = :v, #m.#k = :v [REMOVE #d, #m.#k, …]`: a copy of another attribute (which must exist, as in
 * DynamoDB) or a value; `#m.#k` sets key `#k` of the map `#m`, which must exist (DynamoDB refuses the update
 * otherwise: it does not create the map); REMOVE deletes attributes, or a key of a map (none there: nothing).
 */
function applyUpdate(expression: string, item: Item, names: Names, values: Values): Item {
  const clauses = /^SET (.+?)(?: REMOVE (.+))?$/.exec(expression);
  if (!clauses) throw new Error(`fake table: unsupported update ${expression}`);
  const out = { ...item };
  for (const assignment of clauses[1].split(',')) {
    const [target, source] = assignment.split('=').map((s) => s.trim());
    const value = source.startsWith(':') ? values[source] : item[names[source]];
    if (value === undefined) throw new Error(`fake table: the update reads ${source}, which the item lacks`);
    const [attribute, key] = target.split('.');
    if (key === undefined) {
      out[names[attribute]] = value;
      continue;
    }
    const map = out[names[attribute]];
    if (typeof map !== 'object' || map === null) {
      throw Object.assign(new Error('The document path provided in the update expression is invalid for update'), { name: 'ValidationException' });
    }
    out[names[attribute]] = { ...map, [names[key]]: value };
  }
  for (const removed of clauses[2]?.split(',') ?? []) {
    const [attribute, key] = removed.trim().split('.');
    const map = out[names[attribute]];
    if (key === undefined) delete out[names[attribute]];
    else if (typeof map === 'object' && map !== null) out[names[attribute]] = Object.fromEntries(Object.entries(map).filter(([k]) => k !== names[key]));
  }
  return out;
}

type TransactItem = {
  Put?: { Item: Item; ConditionExpression?: string; ExpressionAttributeNames?: Names; ExpressionAttributeValues?: Values };
  Update?: { Key: Item; UpdateExpression: string; ConditionExpression?: string; ExpressionAttributeNames?: Names; ExpressionAttributeValues?: Values };
};

/** Puts the fake behind `ddb` (reset it first); returns the items by `pk|sk` and the read counters. */
export function fakeDynamoTable(ddb: AwsClientStub<DynamoDBDocumentClient>, options: FakeTableOptions = {}) {
  const items = new Map<string, Item>();
  const reads: FakeTableReads = { queries: 0, queryItems: 0, queryBytes: 0, batchGets: 0, batchGetKeys: 0, gets: 0, scans: 0 };
  const pageItems = options.pageItems ?? 2;
  const pageBytes = options.pageBytes ?? Number.POSITIVE_INFINITY;

  ddb.on(TransactWriteCommand).callsFake((input: { TransactItems: TransactItem[] }) => {
    const writes = input.TransactItems.map((t) => {
      const op = t.Put ?? t.Update!;
      const key = keyOf(t.Put ? t.Put.Item : t.Update!.Key);
      const ok = !op.ConditionExpression || conditionHolds(op.ConditionExpression, items.get(key), op.ExpressionAttributeNames ?? {}, op.ExpressionAttributeValues ?? {});
      return { t, key, ok };
    });
    // DynamoDB refuses a transaction that names one item twice (before any condition), and writes none of it.
    if (new Set(writes.map((w) => w.key)).size < writes.length) {
      throw Object.assign(new Error('Transaction request cannot include multiple operations on one item'), { name: 'ValidationException' });
    }
    if (writes.some((w) => !w.ok)) {
      throw new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: writes.map((w) => ({ Code: w.ok ? 'None' : 'ConditionalCheckFailed' })) });
    }
    // Every item's new form first: an update DynamoDB refuses (a missing map) writes nothing of the transaction.
    const next = writes.map(({ t, key }) => ({
      key,
      item: t.Put ? t.Put.Item : applyUpdate(t.Update!.UpdateExpression, items.get(key)!, t.Update!.ExpressionAttributeNames ?? {}, t.Update!.ExpressionAttributeValues ?? {}),
    }));
    for (const { key, item } of next) items.set(key, item);
    return {} as Out;
  });
  ddb.on(PutCommand).callsFake((input: { Item: Item; ConditionExpression?: string; ExpressionAttributeNames?: Names; ExpressionAttributeValues?: Values }) => {
    if (input.ConditionExpression && !conditionHolds(input.ConditionExpression, items.get(keyOf(input.Item)), input.ExpressionAttributeNames ?? {}, input.ExpressionAttributeValues ?? {})) {
      throw new ConditionalCheckFailedException({ message: 'failed', $metadata: {} });
    }
    items.set(keyOf(input.Item), input.Item);
    return {} as Out;
  });
  ddb.on(GetCommand).callsFake((input: { Key: Item }) => {
    reads.gets += 1;
    return { Item: items.get(keyOf(input.Key)) } as Out;
  });
  ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeNames: Names; ExpressionAttributeValues: Values; ScanIndexForward?: boolean; Limit?: number; ExclusiveStartKey?: Item }) => {
    const names = input.ExpressionAttributeNames;
    const values = input.ExpressionAttributeValues;
    const pkName = names['#p'];
    const skName = names['#s'] ?? pkName.replace(/pk$/, 'sk');
    let found = [...items.values()].filter((i) => i[pkName] === values[':p']);
    if (values[':from'] !== undefined) found = found.filter((i) => byteOrder(i[skName], values[':from']) >= 0 && byteOrder(i[skName], values[':to']) <= 0);
    found.sort((a, b) => byteOrder(a[skName], b[skName]));
    if (input.ScanIndexForward === false) found.reverse();
    // A page ends at the page size, the byte size or the Limit, whichever comes first, and says where to go on.
    const from = input.ExclusiveStartKey ? found.findIndex((i) => keyOf(i) === keyOf(input.ExclusiveStartKey!)) + 1 : 0;
    const most = Math.min(input.Limit ?? pageItems, pageItems);
    const page: Item[] = [];
    let bytes = 0;
    for (const item of found.slice(from, from + most)) {
      const size = Buffer.byteLength(JSON.stringify(item));
      if (page.length > 0 && bytes + size > pageBytes) break;
      page.push(item);
      bytes += size;
    }
    reads.queries += 1;
    reads.queryItems += page.length;
    reads.queryBytes += bytes;
    // DynamoDB says where to go on whenever it stopped at the Limit, even with nothing left: the next page is empty.
    const more = from + page.length < found.length || page.length === input.Limit;
    return { Items: page, ...(more ? { LastEvaluatedKey: { pk: page.at(-1)?.pk, sk: page.at(-1)?.sk } } : {}) } as Out;
  });
  // The whole table in key order (DynamoDB's is its own: any fixed one will do), a page at a time; the filter is applied
  // after the page is read, as DynamoDB does, so a page may come back empty with more to go.
  ddb.on(ScanCommand).callsFake((input: { FilterExpression?: string; ExpressionAttributeNames?: Names; ExpressionAttributeValues?: Values; ExclusiveStartKey?: Item }) => {
    const all = [...items.values()].sort((a, b) => byteOrder(keyOf(a), keyOf(b)));
    const from = input.ExclusiveStartKey ? all.findIndex((i) => keyOf(i) === keyOf(input.ExclusiveStartKey!)) + 1 : 0;
    const read = all.slice(from, from + pageItems);
    reads.scans += 1;
    const page = input.FilterExpression ? read.filter((i) => conditionHolds(input.FilterExpression!, i, input.ExpressionAttributeNames ?? {}, input.ExpressionAttributeValues ?? {})) : read;
    const more = from + read.length < all.length;
    return { Items: page, ...(more ? { LastEvaluatedKey: { pk: read.at(-1)?.pk, sk: read.at(-1)?.sk } } : {}) } as Out;
  });
  ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Item[] }> }) => {
    const [table, req] = Object.entries(input.RequestItems)[0];
    reads.batchGets += 1;
    reads.batchGetKeys += req.Keys.length;
    return { Responses: { [table]: req.Keys.map((k) => items.get(keyOf(k))).filter(Boolean) } } as Out;
  });
  return { items, reads };
}
