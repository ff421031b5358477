import { BytesMemo } from './bytes-memo.js';
import { asBuffer } from './buffer-view.js';
import { scValBytesToJsonText } from './fast/scval-json-bytes.js';

/** An ScVal's two text forms in event tables: stellar-xdr JSON and base64 XDR. */
export interface ScValText {
  readonly json: string;
  readonly b64: string;
}

// Topics (event names, addresses, symbols) repeat across most events; see BytesMemo. Values up
// to 128 bytes (symbols, addresses, amounts) are held, at most 8,192 of them.
const texts = new BytesMemo<ScValText>((v) => ({ json: scValBytesToJsonText(v), b64: asBuffer(v).toString('base64') }), 8192, 128);

/** The text forms of an ScVal given as XDR (the same object for equal bytes while memoised). */
export const scValText = (xdr: Uint8Array): ScValText => texts.get(xdr);
