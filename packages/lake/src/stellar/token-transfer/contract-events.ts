import { xdr } from '@stellar/stellar-sdk';
import { contractAddress, partyOfStrkey } from './addresses.js';
import type { AssetResolver, ResolvedAsset } from './assets.js';
import type { MuxedInfo, SkippedEvent, TokenTransferEvent, TokenTransferKind } from './event.js';
import type { EventSite } from './movement.js';
import { movementEvent, newEvent } from './movement.js';
import { addressOf, bytesOf, i128Of, mapOf, stringOf, symbolOf, typeName, u64Of } from './scval.js';

/**
 * Token events emitted by contracts (SEP-41; CAP-46-6 for the Stellar Asset Contract;
 * CAP-67 for transaction meta v4). Event names and topic layouts:
 *
 *   meta v3 (before CAP-67)            meta v4 (CAP-67)
 *   transfer  [from, to, ...]          transfer  [from, to, ...]
 *   mint      [admin, to, ...]         mint      [to, ...]
 *   clawback  [admin, from, ...]       clawback  [from, ...]
 *   burn      [from, ...]              burn      [from, ...]
 *
 * The amount is an i128; from v4 the data may instead be a map holding "amount" and an
 * optional "to_muxed_id" (u64, bytes or string). Extra topics are allowed (SEP-41). When a
 * Stellar Asset Contract emits the event it has exactly the layout's topics plus the
 * asset's SEP-11 name last, and the contract id matches that asset's: then the event gets
 * the classic asset. Before v4 the SAC reported mints and burns of an issuer as transfers,
 * so those are renamed by who the issuer is, as for classic operations.
 */
const TOKEN_NAMES: ReadonlySet<string> = new Set(['transfer', 'mint', 'burn', 'clawback']);

export type ContractEventOutcome = { event: TokenTransferEvent } | { skipped: SkippedEvent } | undefined; // not a token event at all (another event name)

class NotTokenShape extends Error {}

const reject = (reason: string): never => {
  throw new NotTokenShape(reason);
};

/** The single map form of v4 data: "amount" required, "to_muxed_id" optional, other keys ignored. */
function amountAndMuxedInfo(data: xdr.ScVal, metaVersion: number): { amount: bigint; info: MuxedInfo | null } {
  const entries = metaVersion === 4 ? mapOf(data) : undefined;
  if (entries === undefined) return { amount: i128Of(data) ?? reject(`amount is ${typeName(data)}, expected i128`), info: null };
  if (entries === null) return reject('data map is empty');
  let amount: bigint | undefined;
  let info: MuxedInfo | null = null;
  for (const e of entries) {
    const key = symbolOf(e.key()) ?? reject(`data map key is ${typeName(e.key())}, expected a symbol`);
    if (key === 'amount') amount = i128Of(e.val()) ?? reject(`data map amount is ${typeName(e.val())}, expected i128`);
    else if (key === 'to_muxed_id') {
      const v = e.val();
      const id = u64Of(v);
      const bytes = bytesOf(v);
      const text = stringOf(v);
      if (id !== undefined) info = { type: 'id', id };
      else if (bytes !== undefined) {
        const hash = new Uint8Array(32);
        hash.set(bytes.subarray(0, 32));
        info = { type: 'hash', hash };
      } else if (text !== undefined) info = { type: 'text', text };
      else reject(`to_muxed_id is ${typeName(v)}, expected u64, bytes or string`);
    }
  }
  if (amount === undefined) return reject('data map has no "amount"');
  return { amount, info };
}

/** Topics a SAC event has: the layout's plus the asset name. */
function sacTopicCount(name: string, metaVersion: number): number {
  if (metaVersion === 3) return name === 'burn' ? 3 : 4;
  return name === 'transfer' ? 4 : 3;
}

/** The classic asset of a SAC event, or undefined for any other token contract. */
function sacAsset(name: string, topics: xdr.ScVal[], contract: string, metaVersion: number, assets: AssetResolver): ResolvedAsset | undefined {
  if (topics.length !== sacTopicCount(name, metaVersion)) return undefined;
  const label = stringOf(topics[topics.length - 1]!);
  const resolved = label ? assets.resolveLabel(label) : null;
  return resolved && resolved.contract === contract ? resolved : undefined;
}

/**
 * One contract event of an operation, for transaction meta v3 or v4. Events with another
 * name are not token events (undefined); token-named events whose shape does not fit are
 * skipped, with the reason.
 */
export function parseContractEvent(site: EventSite, ev: xdr.ContractEvent, metaVersion: number, assets: AssetResolver): ContractEventOutcome {
  const body = ev.body().switch() === 0 ? ev.body().v0() : undefined;
  const topics = body?.topics() ?? [];
  const name = topics.length > 0 ? symbolOf(topics[0]!) : undefined;
  if (name === undefined || !TOKEN_NAMES.has(name)) return undefined;
  const cid = ev.contractId();
  const contract = cid ? contractAddress(cid as unknown as Buffer) : null;
  try {
    if (ev.type().value !== 1 || contract === null || !body) reject('not a contract event of body version 0 with a contract id');
    return { event: tokenEvent(site, name as TokenTransferKind, topics, body!.data(), contract!, metaVersion, assets) };
  } catch (err) {
    if (!(err instanceof NotTokenShape)) throw err;
    return {
      skipped: {
        ledgerSequence: site.tx.ledgerSequence,
        txHash: site.tx.hash,
        opIndex: (site.op ?? 0) + 1,
        contractAddress: contract,
        topic: name,
        reason: err.message,
      },
    };
  }
}

function tokenEvent(
  site: EventSite,
  name: TokenTransferKind,
  topics: xdr.ScVal[],
  data: xdr.ScVal,
  contract: string,
  metaVersion: number,
  assets: AssetResolver,
): TokenTransferEvent {
  if (topics.length < 2) reject(`${topics.length} topics, a token event has at least 2`);
  const { amount, info } = amountAndMuxedInfo(data, metaVersion);
  const address = (i: number, role: string): string => {
    const t = topics[i];
    if (!t) return reject(`${name} event needs a ${role} topic at position ${i}, has ${topics.length} topics`);
    return addressOf(t) ?? reject(`${role} topic is ${typeName(t)}, expected an address`);
  };
  // With an admin topic (v3 mint and clawback) the holder comes one position later.
  const shift = metaVersion === 3 && (name === 'mint' || name === 'clawback') ? 1 : 0;
  if (shift) address(1, 'admin');
  let from: string | null = null;
  let to: string | null = null;
  if (name === 'transfer') {
    from = address(1, 'from');
    to = address(2, 'to');
  } else if (name === 'mint') to = address(1 + shift, 'to');
  else from = address(1 + shift, 'from');

  const sac = sacAsset(name, topics, contract, metaVersion, assets);
  if (sac && metaVersion === 3 && name === 'transfer') {
    return movementEvent(site, sac, partyOfStrkey(from!), partyOfStrkey(to!), amount, false, () => xdr.Memo.memoNone());
  }
  return newEvent(site, name, contract, sac?.asset ?? null, from, to, amount, info);
}
