// Runtime checks shared by the staff API modules' parsers: a response that is not the
// documented shape becomes null (then an "unexpected response" problem), never a crash.

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** obj[key] when it is a string, else null. */
export function str(obj: Json, key: string): string | null {
  const v = obj[key];
  return typeof v === 'string' ? v : null;
}

/** obj[key] when it is a finite number, else null. */
export function num(obj: Json, key: string): number | null {
  const v = obj[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Maps every element with `parse`; null if the value is not an array or any element fails. */
export function parseList<T>(value: unknown, parse: (item: unknown) => T | null): T[] | null {
  if (!Array.isArray(value)) return null;
  const out: T[] = [];
  for (const item of value) {
    const parsed = parse(item);
    if (parsed === null) return null;
    out.push(parsed);
  }
  return out;
}
