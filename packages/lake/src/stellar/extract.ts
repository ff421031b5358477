import type { LedgerRecord } from './ledger-record.js';
import type { ExtractedLedger } from './extracted.js';
import { extractWithSdk } from './extract-sdk.js';
import { extractFast } from './fast/extract-fast.js';
import { XdrDecodeError } from './decode-error.js';

/**
 * "fast": scan the raw bytes (default). "sdk": decode the whole LedgerCloseMeta with the
 * SDK first (the reference; useful to cross-check or if the scanner ever meets XDR it
 * cannot walk).
 */
export type DecodeMode = 'fast' | 'sdk';

// Several processors usually read the same ledger; extract once per ledger and mode.
const caches: Record<DecodeMode, WeakMap<LedgerRecord, ExtractedLedger>> = { fast: new WeakMap(), sdk: new WeakMap() };

export function extractLedger(ledger: LedgerRecord, mode: DecodeMode = 'fast'): ExtractedLedger {
  const cache = caches[mode];
  let out = cache.get(ledger);
  if (!out) {
    try {
      out = mode === 'fast' ? extractFast(ledger.bytes) : extractWithSdk(ledger.meta());
    } catch (err) {
      throw err instanceof XdrDecodeError ? err.at({ ledger: ledger.sequence }) : err;
    }
    cache.set(ledger, out);
  }
  return out;
}
