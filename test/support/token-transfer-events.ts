// Contract events and ScVals for the token transfer tests, as the Go tests build them
// (contract_events_test.go: createSymbol, createAddress, createInt128, createScMap, ...).
import { Address, StrKey, xdr } from '@stellar/stellar-sdk';
import { PASSPHRASE, sacOf } from './token-transfer-xdr.js';

export const sym = (s: string): xdr.ScVal => xdr.ScVal.scvSymbol(s);
export const str = (s: string): xdr.ScVal => xdr.ScVal.scvString(s);
export const addr = (strkey: string): xdr.ScVal => xdr.ScVal.scvAddress(new Address(strkey).toScAddress());
export const u64v = (v: bigint): xdr.ScVal => xdr.ScVal.scvU64(xdr.Uint64.fromString(v.toString()));
export const bytesv = (b: Uint8Array): xdr.ScVal => xdr.ScVal.scvBytes(Buffer.from(b));

/** i128 from hi (signed) and lo (unsigned) 64-bit halves. */
export const i128parts = (hi: bigint, lo: bigint): xdr.ScVal =>
  xdr.ScVal.scvI128(new xdr.Int128Parts({ hi: xdr.Int64.fromString(hi.toString()), lo: xdr.Uint64.fromString(lo.toString()) }));
export const i128 = (v: bigint): xdr.ScVal => i128parts(v >> 64n, BigInt.asUintN(64, v));

/** An ScMap with symbol keys, in the given order. */
export const scMap = (entries: Array<[string, xdr.ScVal]>): xdr.ScVal => xdr.ScVal.scvMap(entries.map(([k, v]) => new xdr.ScMapEntry({ key: sym(k), val: v })));

const raw32 = (...head: number[]): Buffer => {
  const b = Buffer.alloc(32);
  b.set(head);
  return b;
};
export const someContractId1 = raw32(1, 2, 3, 4);
export const someContractId2 = raw32(4, 3, 2, 1);
export const someContract1 = StrKey.encodeContract(someContractId1);
export const someContract2 = StrKey.encodeContract(someContractId2);
export const contractIdOf = (c: string): Buffer => StrKey.decodeContract(c);
export const sacIdOf = (a: xdr.Asset, passphrase = PASSPHRASE): Buffer => contractIdOf(sacOf(a, passphrase));

export function contractEvent(contractId: Buffer | null, topics: xdr.ScVal[], data: xdr.ScVal, type = xdr.ContractEventType.contract()): xdr.ContractEvent {
  return new xdr.ContractEvent({
    ext: new xdr.ExtensionPoint(0),
    contractId: contractId as unknown as xdr.ContractId | null,
    type,
    body: new xdr.ContractEventBody(0, new xdr.ContractEventV0({ topics, data })),
  });
}

/** Go's createContractEvent: [name, from?, to?, asset?] topics and an i128 amount. */
export function tokenEvent(name: string, from: string, to: string, amount: xdr.ScVal, assetStr: string, contractId: Buffer | null): xdr.ContractEvent {
  const topics = [sym(name)];
  if (from) topics.push(addr(from));
  if (to) topics.push(addr(to));
  if (assetStr) topics.push(str(assetStr));
  return contractEvent(contractId, topics, amount);
}

export const feeTxEvent = (
  contractId: Buffer,
  topics: xdr.ScVal[],
  data: xdr.ScVal,
  stage = xdr.TransactionEventStage.transactionEventStageBeforeAllTxes(),
): xdr.TransactionEvent => new xdr.TransactionEvent({ stage, event: contractEvent(contractId, topics, data) });

/** An InvokeHostFunction operation (its arguments do not matter to the processor). */
export const invokeOp = (): xdr.Operation =>
  new xdr.Operation({
    sourceAccount: null,
    body: xdr.OperationBody.invokeHostFunction(
      new xdr.InvokeHostFunctionOp({
        hostFunction: xdr.HostFunction.hostFunctionTypeInvokeContract(
          new xdr.InvokeContractArgs({
            contractAddress: xdr.ScAddress.scAddressTypeContract(someContractId1 as unknown as xdr.ContractId),
            functionName: 'transfer',
            args: [],
          }),
        ),
        auth: [],
      }),
    ),
  });
