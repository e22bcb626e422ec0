/**
 * Records keyed by a task or label name, which comes from a customer's CRM and may be `constructor`,
 * `toString` or `__proto__`: read only own keys (`counts.constructor` is Object's own function otherwise) and
 * build them without Object's prototype (assigning `__proto__` would set the prototype, not a key).
 */

/** A record with no prototype: any name, `__proto__` too, is a key like any other. */
export function nullRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** `record[key]` when the record holds it as its own key, else undefined (never a value inherited from Object). */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
