// The Rust stellar-xdr JSON serializer (the one stellar-etl and stellar-rpc use), compiled to
// wasm, as the reference for our decoded-JSON text. Slow (tens of µs a call): tests only.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { decode, initSync } from '@stellar/stellar-xdr-json';

let ready = false;

/** The serializer's JSON text of an ScVal given as XDR; throws where its decoder rejects the bytes. */
export function oracleScValJson(xdrBytes: Uint8Array): string {
  if (!ready) {
    initSync(readFileSync(createRequire(import.meta.url).resolve('@stellar/stellar-xdr-json/stellar_xdr_json_bg.wasm')));
    ready = true;
  }
  return decode('ScVal', Buffer.from(xdrBytes.buffer, xdrBytes.byteOffset, xdrBytes.byteLength).toString('base64'));
}

/** The same serializer as a function of base64 XDR. */
export async function scValJsonOracle(): Promise<(base64: string) => string> {
  return (b64) => oracleScValJson(Buffer.from(b64, 'base64'));
}
