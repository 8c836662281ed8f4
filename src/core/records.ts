/**
 * Records keyed by captured names (form fields, query parameters, JSON keys).
 * A plain `{}` has a prototype: `fields['constructor']` is a function and
 * `fields['__proto__'] = x` replaces the prototype, so a field named after
 * Object.prototype would break or vanish. These records have none.
 */

/** An empty record with no prototype: every name, `__proto__` included, is an ordinary key. */
export function nullRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Whether the record holds the name itself (never through a prototype). */
export function hasKey(record: object, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, name);
}

/** Appends a value to the list under a name (form fields that repeat). */
export function pushField(record: Record<string, string[]>, name: string, value: string): void {
  const list = hasKey(record, name) ? record[name] : undefined;
  if (list) list.push(value);
  else record[name] = [value];
}

/** Form fields from name/value pairs, in a record without prototype. */
export function formFieldsOf(pairs: Iterable<readonly [string, string]>): Record<string, string[]> {
  const fields = nullRecord<string[]>();
  for (const [name, value] of pairs) pushField(fields, name, value);
  return fields;
}
