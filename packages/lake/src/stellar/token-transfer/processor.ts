import { xdr } from '@stellar/stellar-sdk';
import { AssetResolver } from './assets.js';
import { TokenTransferError } from './errors.js';
import type { SkippedEvent, TokenTransferEvent } from './event.js';
import type { LedgerTx } from './ledger-transactions.js';
import { ledgerInfo, ledgerTransactions } from './ledger-transactions.js';
import type { TransactionEvents } from './transaction-events.js';
import { transactionEvents } from './transaction-events.js';
import type { TokenTransferMismatch } from './verify.js';
import { TokenTransferMismatchError, transactionMismatches } from './verify.js';

export interface TokenTransferOptions {
  /** Reconcile every transaction's events with its ledger entry changes; throw TokenTransferMismatchError on a mismatch. */
  verify?: boolean;
  /** Called for each skipped event, as it is found (a warning naming contract and transaction). */
  onSkipped?: (skipped: SkippedEvent) => void;
}

export interface TokenTransferResult {
  events: TokenTransferEvent[];
  /** Token-named contract events left out because their shape is not a token event's. */
  skipped: SkippedEvent[];
}

const OPTION_KEYS: ReadonlySet<string> = new Set(['verify', 'onSkipped']);

function checkArguments(meta: unknown, networkPassphrase: unknown, opts: unknown): TokenTransferOptions {
  if (!(meta instanceof xdr.LedgerCloseMeta)) throw new TypeError('tokenTransferEvents: meta must be an xdr.LedgerCloseMeta');
  if (typeof networkPassphrase !== 'string' || networkPassphrase === '')
    throw new TypeError('tokenTransferEvents: networkPassphrase must be a non-empty string');
  if (opts === undefined) return {};
  if (typeof opts !== 'object' || opts === null) throw new TypeError('tokenTransferEvents: options must be an object');
  for (const key of Object.keys(opts)) if (!OPTION_KEYS.has(key)) throw new TypeError(`tokenTransferEvents: unknown option "${key}"`);
  const o = opts as Record<string, unknown>;
  if (o.verify !== undefined && typeof o.verify !== 'boolean') throw new TypeError('tokenTransferEvents: option "verify" must be a boolean');
  if (o.onSkipped !== undefined && typeof o.onSkipped !== 'function') throw new TypeError('tokenTransferEvents: option "onSkipped" must be a function');
  return opts as TokenTransferOptions;
}

// One resolver per network: it caches asset contract addresses.
const resolvers = new Map<string, AssetResolver>();
function resolverFor(networkPassphrase: string): AssetResolver {
  let r = resolvers.get(networkPassphrase);
  if (!r) resolvers.set(networkPassphrase, (r = new AssetResolver(networkPassphrase)));
  return r;
}

/** Errors other than the processor's own (an XDR arm that is not there) still name the ledger and transaction. */
function eventsOf(tx: LedgerTx, assets: AssetResolver, onSkipped: (s: SkippedEvent) => void): TransactionEvents {
  try {
    return transactionEvents(tx, assets, { skipped: onSkipped });
  } catch (err) {
    if (err instanceof TokenTransferError) throw err;
    throw new TokenTransferError(tx.ledgerSequence, tx.hash, null, (err as Error).message ?? String(err));
  }
}

interface LedgerEvents {
  txs: Array<{ tx: LedgerTx; events: TransactionEvents }>;
  skipped: SkippedEvent[];
  protocolVersion: number;
}

function ledgerEvents(meta: xdr.LedgerCloseMeta, networkPassphrase: string, onSkipped?: (s: SkippedEvent) => void): LedgerEvents {
  const assets = resolverFor(networkPassphrase);
  const skipped: SkippedEvent[] = [];
  const sink = (s: SkippedEvent): void => {
    skipped.push(s);
    onSkipped?.(s);
  };
  const txs = ledgerTransactions(meta, networkPassphrase).map((tx) => ({ tx, events: eventsOf(tx, assets, sink) }));
  return { txs, skipped, protocolVersion: ledgerInfo(meta).protocolVersion };
}

/**
 * Ledger order (Go: EventsFromLedger): every transaction's fee charge first, in apply
 * order, then each transaction's operation events. A Soroban refund follows its own
 * transaction's operation events before protocol 23; from protocol 23 core refunds after
 * all transactions, so all refunds come last.
 */
function ordered(txs: LedgerEvents['txs'], protocolVersion: number): TokenTransferEvent[] {
  const out: TokenTransferEvent[] = [];
  for (const { events } of txs) out.push(events.fee[0]!);
  const refunds: TokenTransferEvent[] = [];
  for (const { events } of txs) {
    out.push(...events.operations);
    const refund = events.fee[1];
    if (refund) (protocolVersion >= 23 ? refunds : out).push(refund);
  }
  return out.concat(refunds);
}

function mismatchesOf(txs: LedgerEvents['txs']): TokenTransferMismatch[] {
  return txs.flatMap(({ tx, events }) => transactionMismatches(tx, [...events.fee, ...events.operations]));
}

/**
 * The token transfer events of a ledger, in the Go processor's order, and the contract
 * events that were skipped. With `verify`, throws TokenTransferMismatchError unless every
 * transaction reconciles with its ledger entry changes.
 */
export function tokenTransferEvents(meta: xdr.LedgerCloseMeta, networkPassphrase: string, opts?: TokenTransferOptions): TokenTransferResult {
  const o = checkArguments(meta, networkPassphrase, opts);
  const l = ledgerEvents(meta, networkPassphrase, o.onSkipped);
  if (o.verify) {
    const mismatches = mismatchesOf(l.txs);
    if (mismatches.length > 0) throw new TokenTransferMismatchError(mismatches);
  }
  return { events: ordered(l.txs, l.protocolVersion), skipped: l.skipped };
}

/** Every (holder, asset) of every transaction of the ledger whose events do not match its balance changes; empty when all reconcile. */
export function verifyTokenTransfers(meta: xdr.LedgerCloseMeta, networkPassphrase: string): TokenTransferMismatch[] {
  checkArguments(meta, networkPassphrase, undefined);
  return mismatchesOf(ledgerEvents(meta, networkPassphrase).txs);
}
