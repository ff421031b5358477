import { accountAddress, claimableBalanceAddress, poolAddress } from './addresses.js';
import { assetKey, tokenAssetOf } from './assets.js';
import type { EntryChange } from './entry-changes.js';
import { entryTypeOf } from './entry-changes.js';
import type { TokenTransferEvent } from './event.js';

/**
 * Net amount per (holder, asset): what the reconciliation compares, once summed from the
 * ledger entry changes and once from the events (Go: findBalanceDeltasFromChanges /
 * findBalanceDeltasFromEvents). Assets are keyed "native" | "CODE:ISSUER".
 *
 * Contract holders are left out: a contract's balance lives in contract data whose layout
 * is the token's own, so there is no standard way to read it back. Zero nets are dropped,
 * so two maps are equal when the same keys remain with the same amounts.
 */
export interface BalanceDelta {
  holder: string;
  asset: string;
  amount: bigint;
}

export class BalanceDeltas {
  readonly map = new Map<string, BalanceDelta>();

  add(holder: string, asset: string, delta: bigint): void {
    if (holder.charCodeAt(0) === 67 /* C */ || delta === 0n) return;
    const key = `${holder} ${asset}`;
    const d = this.map.get(key);
    if (!d) this.map.set(key, { holder, asset, amount: delta });
    else if ((d.amount += delta) === 0n) this.map.delete(key);
  }

  get(holder: string, asset: string): bigint {
    return this.map.get(`${holder} ${asset}`)?.amount ?? 0n;
  }
}

const big = (v: { toString(): string }): bigint => BigInt(v.toString());

// LedgerEntryType values (Stellar-ledger-entries.x).
const ACCOUNT = 0;
const TRUSTLINE = 1;
const CLAIMABLE_BALANCE = 4;
const LIQUIDITY_POOL = 5;

export function deltasFromChanges(changes: EntryChange[], into = new BalanceDeltas()): BalanceDeltas {
  for (const c of changes) {
    const pre = c.pre?.data();
    const post = c.post?.data();
    switch (entryTypeOf(c)) {
      case ACCOUNT: {
        const e = (post ?? pre)!.account();
        into.add(accountAddress(e.accountId().ed25519()), 'native', (post ? big(post.account().balance()) : 0n) - (pre ? big(pre.account().balance()) : 0n));
        break;
      }
      case TRUSTLINE: {
        const e = (post ?? pre)!.trustLine();
        if (e.asset().switch().value === 3) break; // pool shares are not a token
        const key = assetKey(tokenAssetOf(e.asset()));
        into.add(accountAddress(e.accountId().ed25519()), key, (post ? big(post.trustLine().balance()) : 0n) - (pre ? big(pre.trustLine().balance()) : 0n));
        break;
      }
      case CLAIMABLE_BALANCE: {
        const e = (post ?? pre)!.claimableBalance();
        const key = assetKey(tokenAssetOf(e.asset()));
        into.add(
          claimableBalanceAddress(e.balanceId()),
          key,
          (post ? big(post.claimableBalance().amount()) : 0n) - (pre ? big(pre.claimableBalance().amount()) : 0n),
        );
        break;
      }
      case LIQUIDITY_POOL: {
        const e = (post ?? pre)!.liquidityPool();
        const cp = e.body().constantProduct();
        const holder = poolAddress(e.liquidityPoolId() as unknown as Buffer);
        const reserves = (d: typeof pre): [bigint, bigint] => {
          if (!d) return [0n, 0n];
          const p = d.liquidityPool().body().constantProduct();
          return [big(p.reserveA()), big(p.reserveB())];
        };
        const [preA, preB] = reserves(pre);
        const [postA, postB] = reserves(post);
        into.add(holder, assetKey(tokenAssetOf(cp.params().assetA())), postA - preA);
        into.add(holder, assetKey(tokenAssetOf(cp.params().assetB())), postB - preB);
        break;
      }
      default:
        break;
    }
  }
  return into;
}

/** Events of classic assets only: a SEP-41 token without a classic asset has no entry to compare with. */
export function deltasFromEvents(events: readonly TokenTransferEvent[], into = new BalanceDeltas()): BalanceDeltas {
  for (const e of events) {
    if (!e.asset) continue;
    const key = assetKey(e.asset);
    if (e.from !== null) into.add(e.from, key, -e.amount);
    if (e.to !== null) into.add(e.to, key, e.amount);
  }
  return into;
}
