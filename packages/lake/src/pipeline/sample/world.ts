import { Account, Asset, SorobanDataBuilder, StrKey, TransactionBuilder, hash, xdr } from '@stellar/stellar-sdk';
import { Rng } from './rng.js';
import {
  SampleAccount,
  addressVal as addressOfVal,
  contractDataEntry,
  contractEvent,
  created,
  i128,
  keyHashOf,
  removed,
  restored,
  scAddress as addressOf,
  sha256,
  ttlEntry,
  updated,
} from './entries.js';

/**
 * The mutable state behind a generated sample lake: accounts, asset contracts, Wasm
 * contracts and the live contract-data entries with their TTLs. Transactions are generated
 * against this state, so every STATE image equals the entry's previous UPDATED/CREATED image
 * and removals only hit entries that exist, as in a real ledger.
 */

export interface Sac {
  label: string;
  asset: Asset;
  contractId: string;
  raw: Buffer;
  admin: SampleAccount | undefined;
  deployed: boolean;
}

type WasmKind = 'token' | 'oracle' | 'counter' | 'registry';

export interface WasmContract {
  kind: WasmKind;
  contractId: string;
  raw: Buffer;
  wasmHash: Buffer;
  deployer: SampleAccount;
  salt: Buffer;
  deployed: boolean;
  /** Keys (hex key hashes) of this contract's live entries other than its instance. */
  keys: string[];
  instanceKey?: string;
  /** Oracle: last price timestamp; registry: names issued so far. */
  counter: number;
}

export interface WasmCode {
  hash: Buffer;
  code: Buffer;
  kind: WasmKind;
  uploaded: boolean;
}

export interface LiveEntry {
  entry: xdr.LedgerEntry;
  keyHash: Buffer;
  ttl: xdr.LedgerEntry;
}

/** What applying an operation did; empty for a failed transaction. */
export interface Effects {
  changes: xdr.LedgerEntryChange[];
  events: xdr.ContractEvent[];
  diagnostics: xdr.ContractEvent[];
}

export interface Plan {
  source: SampleAccount;
  op: xdr.Operation;
  soroban: boolean;
  /** Applies the operation to the world, recording changes/events; returns the op result. */
  apply(fx: Effects): { result: xdr.OperationResult; returnValue?: xdr.ScVal };
  /** Result of the operation when the transaction fails (soroban calls trap). */
  failed: xdr.OperationResult;
}

/** A generated transaction, version-neutral; the ledger builder turns it into meta v3 or v4. */
export interface TxOutcome {
  envelope: xdr.TransactionEnvelope;
  hash: Buffer;
  soroban: boolean;
  success: boolean;
  feeCharged: bigint;
  refund: bigint;
  source: SampleAccount;
  opResult: xdr.OperationResult;
  feeChanges: xdr.LedgerEntryChange[];
  txChangesBefore: xdr.LedgerEntryChange[];
  opChanges: xdr.LedgerEntryChange[];
  txChangesAfter: xdr.LedgerEntryChange[];
  events: xdr.ContractEvent[];
  diagnostics: xdr.ContractEvent[];
  returnValue: xdr.ScVal;
}

const opInner = (tr: xdr.OperationResultTr): xdr.OperationResult => xdr.OperationResult.opInner(tr);
export const hostFnTrapped = (): xdr.OperationResult =>
  opInner(xdr.OperationResultTr.invokeHostFunction(xdr.InvokeHostFunctionResult.invokeHostFunctionTrapped()));

export class World {
  readonly accounts: SampleAccount[] = [];
  readonly sacs: Sac[] = [];
  readonly codes: WasmCode[] = [];
  readonly contracts: WasmContract[] = [];
  readonly live = new Map<string, LiveEntry>();
  /** Persistent entries evicted to the archive (restorable in protocol 23 mode). */
  readonly archived = new Map<string, LiveEntry>();
  readonly networkId: Buffer;
  seq = 0;

  constructor(
    readonly rng: Rng,
    readonly networkPassphrase: string,
    firstLedger: number,
  ) {
    this.networkId = hash(Buffer.from(networkPassphrase));
    for (let i = 0; i < 24; i++) {
      this.accounts.push(new SampleAccount(rng.bytes(32), 10_000_000_000_000n + rng.bigBits(40), BigInt(firstLedger - 100) << 32n, firstLedger - 100));
    }
    const issuers = this.accounts.slice(0, 3);
    const assets: Array<[Asset, SampleAccount | undefined]> = [
      [Asset.native(), undefined],
      [new Asset('USDC', issuers[0]!.id), issuers[0]],
      [new Asset('EURC', issuers[1]!.id), issuers[1]],
      [new Asset('AQUA', issuers[2]!.id), issuers[2]],
      [new Asset('LONGTERMBOND', issuers[0]!.id), issuers[0]],
    ];
    for (const [asset, admin] of assets) {
      const contractId = asset.contractId(networkPassphrase);
      const label = asset.isNative() ? 'native' : `${asset.getCode()}:${asset.getIssuer()}`;
      this.sacs.push({ label, asset, contractId, raw: Buffer.from(xdrContractRaw(contractId)), admin, deployed: false });
      if (admin)
        for (const a of this.accounts.slice(3)) a.trustlines.set(label, { balance: 10_000_000_000_000n + rng.bigBits(32), lastModified: firstLedger - 100 });
    }
    const kinds: WasmKind[] = ['token', 'oracle', 'counter', 'registry'];
    for (const kind of kinds) {
      // A Wasm module header plus seeded bytes: enough to look like code, unique per kind.
      const code = Buffer.concat([Buffer.from('0061736d01000000', 'hex'), rng.bytes(rng.int(200, 600))]);
      this.codes.push({ hash: sha256(code), code, kind, uploaded: false });
    }
    const perKind: Record<WasmKind, number> = { token: 8, oracle: 6, counter: 9, registry: 8 };
    for (const kind of kinds) {
      for (let i = 0; i < perKind[kind]; i++) {
        const deployer = rng.pick(this.accounts);
        const salt = rng.bytes(32);
        const raw = this.customContractId(deployer.id, salt);
        this.contracts.push({
          kind,
          raw,
          contractId: strkeyContract(raw),
          wasmHash: this.codes[kinds.indexOf(kind)]!.hash,
          deployer,
          salt,
          deployed: false,
          keys: [],
          counter: 0,
        });
      }
    }
  }

  /** Contract id of a contract deployed by `deployer` with `salt` (HashIdPreimage CONTRACT_ID). */
  private customContractId(deployer: string, salt: Buffer): Buffer {
    const preimage = xdr.HashIdPreimage.envelopeTypeContractId(
      new xdr.HashIdPreimageContractId({
        networkId: this.networkId,
        contractIdPreimage: xdr.ContractIdPreimage.contractIdPreimageFromAddress(new xdr.ContractIdPreimageFromAddress({ address: addressOf(deployer), salt })),
      }),
    );
    return sha256(preimage.toXDR());
  }

  // --- contract-data entries -------------------------------------------------------------

  createData(contract: Buffer, key: xdr.ScVal, durability: xdr.ContractDataDurability, val: xdr.ScVal, fx: Effects, ttlSpan: number): LiveEntry {
    const entry = contractDataEntry(xdr.ScAddress.scAddressTypeContract(contract as unknown as xdr.ContractId), key, durability, val, this.seq);
    const keyHash = keyHashOf(entry);
    const ttl = ttlEntry(keyHash, this.seq + ttlSpan, this.seq);
    fx.changes.push(created(entry), created(ttl));
    const live: LiveEntry = { entry, keyHash, ttl };
    this.live.set(keyHash.toString('hex'), live);
    return live;
  }

  updateData(live: LiveEntry, val: xdr.ScVal, fx: Effects): void {
    const d = live.entry.data().contractData();
    const after = contractDataEntry(d.contract(), d.key(), d.durability(), val, this.seq);
    fx.changes.push(...updated(live.entry, after));
    live.entry = after;
  }

  removeData(live: LiveEntry, fx: Effects): void {
    fx.changes.push(xdr.LedgerEntryChange.ledgerEntryState(live.entry), removed(live.entry));
    fx.changes.push(xdr.LedgerEntryChange.ledgerEntryState(live.ttl), removed(live.ttl));
    this.live.delete(live.keyHash.toString('hex'));
  }

  extendTtl(live: LiveEntry, by: number, fx: Effects): void {
    const until = Math.max(live.ttl.data().ttl().liveUntilLedgerSeq(), this.seq) + by;
    const after = ttlEntry(live.keyHash, until, this.seq);
    fx.changes.push(...updated(live.ttl, after));
    live.ttl = after;
  }

  /** Protocol 23: an archived persistent entry comes back (data and TTL both RESTORED). */
  restoreData(live: LiveEntry, fx: Effects): void {
    const d = live.entry.data().contractData();
    live.entry = contractDataEntry(d.contract(), d.key(), d.durability(), d.val(), this.seq);
    live.ttl = ttlEntry(live.keyHash, this.seq + 4096, this.seq);
    fx.changes.push(restored(live.entry), restored(live.ttl));
    const k = live.keyHash.toString('hex');
    this.archived.delete(k);
    this.live.set(k, live);
  }

  /** Removes an entry from the live set at ledger close; returns the evicted keys' entries. */
  evict(k: string, toArchive: boolean): LiveEntry | undefined {
    const live = this.live.get(k);
    if (!live) return undefined;
    this.live.delete(k);
    if (toArchive) this.archived.set(k, live);
    for (const c of this.contracts) {
      const i = c.keys.indexOf(k);
      if (i >= 0) c.keys.splice(i, 1);
    }
    return live;
  }

  // --- events ----------------------------------------------------------------------------

  /** SAC transfer/mint event: topics [symbol, address, address, string asset], data i128. */
  sacEvent(sac: Sac, name: 'transfer' | 'mint', from: string, to: string, amount: bigint): xdr.ContractEvent {
    return contractEvent(sac.raw, [xdr.ScVal.scvSymbol(name), addressOfVal(from), addressOfVal(to), xdr.ScVal.scvString(sac.label)], i128(amount));
  }

  /** A diagnostic fn_call event, as core emits for every invocation (processors must skip these). */
  fnCall(contract: Buffer, fn: string): xdr.ContractEvent {
    return contractEvent(
      contract,
      [xdr.ScVal.scvSymbol('fn_call'), xdr.ScVal.scvBytes(contract), xdr.ScVal.scvSymbol(fn)],
      xdr.ScVal.scvVoid(),
      xdr.ContractEventType.diagnostic(),
    );
  }

  // --- transactions ----------------------------------------------------------------------

  /** Builds, signs and applies one transaction; `fail` makes a soroban call trap (no effects). */
  run(plan: Plan, fail: boolean): TxOutcome {
    const src = plan.source;
    const resourceFee = plan.soroban ? BigInt(this.rng.int(50_000, 400_000)) : 0n;
    const baseFee = 100n;
    const builder = new TransactionBuilder(new Account(src.id, src.seq.toString()), {
      fee: String(baseFee + resourceFee),
      networkPassphrase: this.networkPassphrase,
    })
      .addOperation(plan.op)
      .setTimebounds(0, 0);
    if (plan.soroban) {
      builder.setSorobanData(
        new SorobanDataBuilder()
          .setResourceFee(resourceFee.toString())
          .setResources(this.rng.int(1_000_000, 50_000_000), this.rng.int(1000, 20_000), this.rng.int(200, 5000))
          .build(),
      );
    }
    const tx = builder.build();
    const txHash = tx.hash();
    tx.signatures.push(src.decoratedSignature(txHash));

    // Fee charged up front; soroban txs get part of the resource fee refunded after apply.
    const feeCharged = baseFee + resourceFee;
    const refund = plan.soroban ? resourceFee / 3n : 0n;
    const touch = (mut: () => void): xdr.LedgerEntryChange[] => {
      const before = src.entry();
      mut();
      src.lastModified = this.seq;
      return updated(before, src.entry());
    };
    const feeChanges = touch(() => {
      src.balance -= feeCharged;
    });
    const txChangesBefore = touch(() => {
      src.seq += 1n;
    });
    const fx: Effects = { changes: [], events: [], diagnostics: [] };
    let opResult = plan.failed;
    let returnValue = xdr.ScVal.scvVoid();
    if (!fail) {
      const r = plan.apply(fx);
      opResult = r.result;
      returnValue = r.returnValue ?? returnValue;
    } else if (plan.soroban) {
      fx.diagnostics.push(contractEventError());
    }
    const txChangesAfter = plan.soroban
      ? touch(() => {
          src.balance += refund;
        })
      : [];
    return {
      envelope: tx.toEnvelope(),
      hash: txHash,
      soroban: plan.soroban,
      success: !fail,
      feeCharged: feeCharged - refund,
      refund,
      source: src,
      opResult,
      feeChanges,
      txChangesBefore,
      opChanges: fx.changes,
      txChangesAfter,
      events: fx.events,
      diagnostics: fx.diagnostics,
      returnValue,
    };
  }
}

function contractEventError(): xdr.ContractEvent {
  const err = xdr.ScVal.scvError(xdr.ScError.sceWasmVm(xdr.ScErrorCode.scecInvalidAction()));
  return contractEvent(
    Buffer.alloc(32),
    [xdr.ScVal.scvSymbol('error'), err],
    xdr.ScVal.scvString('escalating error to VM trap'),
    xdr.ContractEventType.diagnostic(),
  );
}

function xdrContractRaw(contractId: string): Buffer {
  return Buffer.from(StrKey.decodeContract(contractId));
}

const strkeyContract = (raw: Buffer): string => StrKey.encodeContract(raw);
