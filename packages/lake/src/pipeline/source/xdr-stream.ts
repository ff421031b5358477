import type { LedgerRecord } from '../../stellar/ledger-record.js';
import { ledgerRecordFromBytes } from '../../stellar/ledger-record.js';
import { zstdDecompress } from './zstd.js';

/**
 * stellar/go `xdr.Stream` framing (record marking as in RFC 5531): each record is a 4-byte
 * big-endian header whose high bit marks the last fragment and whose low 31 bits are the
 * length, followed by that many bytes of XDR. Used by the galexie load-test files, which
 * hold bare LedgerCloseMeta records rather than a LedgerCloseMetaBatch. Fragmented records
 * (high bit clear) are joined until the last fragment.
 */
export function* readXdrStreamRecords(bytes: Uint8Array): Generator<Uint8Array> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  let pending: Uint8Array[] = [];
  while (p < bytes.length) {
    if (p + 4 > bytes.length) throw new Error(`xdr stream: truncated record header at ${p}`);
    const header = dv.getUint32(p);
    const len = header & 0x7fffffff;
    p += 4;
    if (p + len > bytes.length) throw new Error(`xdr stream: record at ${p - 4} needs ${len} bytes, ${bytes.length - p} left`);
    const frag = bytes.subarray(p, p + len);
    p += len;
    if (header & 0x80000000) {
      if (pending.length === 0) yield frag;
      else {
        pending.push(frag);
        const total = pending.reduce((n, x) => n + x.length, 0);
        const joined = new Uint8Array(total);
        let o = 0;
        for (const x of pending) {
          joined.set(x, o);
          o += x.length;
        }
        pending = [];
        yield joined;
      }
    } else pending.push(frag);
  }
  if (pending.length) throw new Error('xdr stream: ends inside a fragmented record');
}

/** Ledgers of an (optionally zstd-compressed) xdr.Stream file of LedgerCloseMeta records. */
export async function readLedgerStream(data: Uint8Array, opts: { compressed?: boolean } = {}): Promise<LedgerRecord[]> {
  const compressed = opts.compressed ?? (data.length >= 4 && data[0] === 0x28 && data[1] === 0xb5 && data[2] === 0x2f && data[3] === 0xfd);
  const raw = compressed ? await zstdDecompress(data) : data;
  return [...readXdrStreamRecords(raw)].map((r) => ledgerRecordFromBytes(r));
}
