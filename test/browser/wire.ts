/**
 * A JSON form for test cases crossing into the browser page: rows hold bigint, Uint8Array,
 * Date, Map, -0, NaN and ±Infinity, which JSON (and the automation protocol) would lose.
 */
type Tagged = { $: 'big' | 'bytes' | 'date' | 'map' | 'num'; v: unknown };

export function encodeWire(value: unknown): unknown {
  if (typeof value === 'bigint') return { $: 'big', v: value.toString() } satisfies Tagged;
  if (typeof value === 'number') {
    if (Number.isFinite(value) && !Object.is(value, -0)) return value;
    return { $: 'num', v: Object.is(value, -0) ? '-0' : String(value) } satisfies Tagged;
  }
  if (value instanceof Uint8Array) return { $: 'bytes', v: Array.from(value) } satisfies Tagged;
  if (value instanceof Date) return { $: 'date', v: value.getTime() } satisfies Tagged;
  if (value instanceof Map) return { $: 'map', v: [...value].map(([k, x]) => [encodeWire(k), encodeWire(x)]) } satisfies Tagged;
  if (Array.isArray(value)) return value.map(encodeWire);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(value)) out[k] = encodeWire(x);
    return { o: out };
  }
  return value;
}

export function decodeWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeWire);
  if (value === null || typeof value !== 'object') return value;
  const t = value as Partial<Tagged> & { o?: Record<string, unknown> };
  switch (t.$) {
    case 'big':
      return BigInt(t.v as string);
    case 'num':
      return t.v === '-0' ? -0 : Number(t.v);
    case 'bytes':
      return Uint8Array.from(t.v as number[]);
    case 'date':
      return new Date(t.v as number);
    case 'map':
      return new Map((t.v as [unknown, unknown][]).map(([k, x]) => [decodeWire(k), decodeWire(x)]));
    default: {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(t.o ?? {})) out[k] = decodeWire(x);
      return out;
    }
  }
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
