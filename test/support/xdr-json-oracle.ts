// The Rust stellar-xdr JSON serializer (what stellar-etl calls through xdrjson) as a test
// oracle, from the @stellar/stellar-xdr-json devDependency's wasm build.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import init, { decode } from '@stellar/stellar-xdr-json';

let ready: Promise<unknown> | undefined;

/** decode('ScVal', base64) of the oracle, once it is initialised. */
export async function scValJsonOracle(): Promise<(base64: string) => string> {
  const require = createRequire(import.meta.url);
  ready ??= init(readFileSync(require.resolve('@stellar/stellar-xdr-json/stellar_xdr_json_bg.wasm')));
  await ready;
  return (b64) => decode('ScVal', b64);
}
