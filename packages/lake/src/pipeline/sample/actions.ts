import { Address, Operation, xdr } from '@stellar/stellar-sdk';
import {
  addressVal,
  contractCodeEntry,
  contractDataEntry,
  contractEvent,
  created,
  i128,
  keyHashOf,
  map,
  scAddress,
  sha256,
  str,
  sym,
  ttlEntry,
  u128,
  u64,
  updated,
  vec,
} from './entries.js';
import type { SampleAccount } from './entries.js';
import type { Effects, LiveEntry, Plan, Sac, WasmCode, WasmContract, World } from './world.js';
import { hostFnTrapped } from './world.js';

/**
 * The kinds of transactions in a sample lake. Each returns a Plan (operation + how applying
 * it changes the world), or undefined when the world has nothing it could act on yet.
 */

const PERSISTENT = xdr.ContractDataDurability.persistent();
const TEMPORARY = xdr.ContractDataDurability.temporary();
const LONG_TTL = 518_400; // ~30 days of 5 s ledgers, as core's default persistent minimum

const tr = (t: xdr.OperationResultTr): xdr.OperationResult => xdr.OperationResult.opInner(t);

function invokeSuccess(returnValue: xdr.ScVal, events: xdr.ContractEvent[]): xdr.OperationResult {
  const pre = new xdr.InvokeHostFunctionSuccessPreImage({ returnValue, events });
  return tr(xdr.OperationResultTr.invokeHostFunction(xdr.InvokeHostFunctionResult.invokeHostFunctionSuccess(sha256(pre.toXDR()))));
}

const contractAddr = (raw: Buffer): xdr.ScAddress => xdr.ScAddress.scAddressTypeContract(raw as unknown as xdr.ContractId);

function lookup(w: World, contract: Buffer, key: xdr.ScVal, durability: xdr.ContractDataDurability): LiveEntry | undefined {
  const probe = contractDataEntry(contractAddr(contract), key, durability, xdr.ScVal.scvVoid(), 0);
  return w.live.get(keyHashOf(probe).toString('hex'));
}

function upsert(w: World, owner: WasmContract | Sac, key: xdr.ScVal, durability: xdr.ContractDataDurability, val: xdr.ScVal, fx: Effects, ttl: number): void {
  const live = lookup(w, owner.raw, key, durability);
  if (live) w.updateData(live, val, fx);
  else {
    const made = w.createData(owner.raw, key, durability, val, fx, ttl);
    if ('keys' in owner) owner.keys.push(made.keyHash.toString('hex'));
  }
}

function invoke(w: World, source: SampleAccount, contract: WasmContract | Sac, fn: string, args: xdr.ScVal[], body: (fx: Effects) => xdr.ScVal | void): Plan {
  return {
    source,
    soroban: true,
    failed: hostFnTrapped(),
    op: Operation.invokeContractFunction({ contract: contract.contractId, function: fn, args }),
    apply: (fx) => {
      fx.diagnostics.push(w.fnCall(contract.raw, fn));
      const returnValue = body(fx) ?? xdr.ScVal.scvVoid();
      return { result: invokeSuccess(returnValue, fx.events), returnValue };
    },
  };
}

const users = (w: World): SampleAccount[] => w.accounts.slice(3); // 0..2 are the issuers
const deployed = (w: World, kind?: WasmContract['kind']): WasmContract[] => w.contracts.filter((c) => c.deployed && (!kind || c.kind === kind));

// --- Stellar Asset Contracts ---------------------------------------------------------------

/** Holder of SAC funds: a G account (account/trustline entry) or a C contract (Balance entry). */
type Holder = { kind: 'account'; account: SampleAccount; id: string } | { kind: 'contract'; contract: WasmContract; id: string };

function pickHolder(w: World, preferContract: boolean): Holder {
  const cs = deployed(w);
  if (cs.length > 0 && (preferContract || w.rng.chance(0.4))) {
    const contract = w.rng.pick(cs);
    return { kind: 'contract', contract, id: contract.contractId };
  }
  const account = w.rng.pick(users(w));
  return { kind: 'account', account, id: account.id };
}

const balanceKey = (holder: string): xdr.ScVal => vec([sym('Balance'), addressVal(holder)]);
const balanceVal = (amount: bigint): xdr.ScVal =>
  map([
    [sym('amount'), i128(amount)],
    [sym('authorized'), xdr.ScVal.scvBool(true)],
    [sym('clawback'), xdr.ScVal.scvBool(false)],
  ]);

function sacBalance(w: World, sac: Sac, holder: string): bigint {
  const live = lookup(w, sac.raw, balanceKey(holder), PERSISTENT);
  if (!live) return 0n;
  const amount = live.entry.data().contractData().val().map()![0]!.val().i128();
  return (BigInt(amount.hi().toString()) << 64n) | BigInt(amount.lo().toString());
}

function moveSac(w: World, sac: Sac, h: Holder, delta: bigint, fx: Effects): void {
  if (h.kind === 'contract') {
    const next = sacBalance(w, sac, h.id) + delta;
    const live = lookup(w, sac.raw, balanceKey(h.id), PERSISTENT);
    if (live) w.updateData(live, balanceVal(next), fx);
    else w.createData(sac.raw, balanceKey(h.id), PERSISTENT, balanceVal(next), fx, LONG_TTL + w.rng.int(0, 10_000));
    return;
  }
  const a = h.account;
  if (sac.admin === undefined) {
    const before = a.entry();
    a.balance += delta;
    a.lastModified = w.seq;
    fx.changes.push(...updated(before, a.entry()));
  } else {
    const asset = sac.asset.toTrustLineXDRObject();
    const before = a.trustlineEntry(asset, sac.label);
    const t = a.trustlines.get(sac.label)!;
    t.balance += delta;
    t.lastModified = w.seq;
    fx.changes.push(...updated(before, a.trustlineEntry(asset, sac.label)));
  }
}

export function sacTransfer(w: World): Plan | undefined {
  const sacs = w.sacs.filter((s) => s.deployed);
  if (sacs.length === 0) return undefined;
  const sac = w.rng.pick(sacs);
  let from = pickHolder(w, false);
  const to = pickHolder(w, w.rng.chance(0.5));
  let amount: bigint;
  const held = from.kind === 'contract' ? sacBalance(w, sac, from.id) : 0n;
  if (from.kind === 'contract' && held > 1n) amount = held / BigInt(w.rng.int(2, 9));
  else {
    const account = w.rng.pick(users(w));
    from = { kind: 'account', account, id: account.id };
    amount = BigInt(w.rng.int(1, 5_000_000)) * 1000n;
  }
  // Account and trustline balances are int64: only contract holders take i128-sized amounts.
  if (to.kind === 'account' && amount > 10n ** 13n) amount = 10n ** 13n - BigInt(w.rng.int(0, 1_000_000));
  const source = from.kind === 'account' ? from.account : w.rng.pick(users(w));
  const f = from;
  return invoke(w, source, sac, 'transfer', [addressVal(f.id), addressVal(to.id), i128(amount)], (fx) => {
    moveSac(w, sac, f, -amount, fx);
    moveSac(w, sac, to, amount, fx);
    fx.events.push(w.sacEvent(sac, 'transfer', f.id, to.id, amount));
  });
}

export function sacMint(w: World): Plan | undefined {
  const sacs = w.sacs.filter((s) => s.deployed && s.admin);
  if (sacs.length === 0) return undefined;
  const sac = w.rng.pick(sacs);
  const to = pickHolder(w, w.rng.chance(0.6));
  // Contract holders get i128 amounts beyond 2^64 (an int64 column would overflow).
  const amount = to.kind === 'contract' && w.rng.chance(0.5) ? (1n << 64n) + w.rng.bigBits(70) : BigInt(w.rng.int(1, 1_000_000)) * 10_000_000n;
  const admin = sac.admin!;
  return invoke(w, admin, sac, 'mint', [addressVal(to.id), i128(amount)], (fx) => {
    moveSac(w, sac, to, amount, fx);
    fx.events.push(w.sacEvent(sac, 'mint', admin.id, to.id, amount));
  });
}

// --- Wasm contracts --------------------------------------------------------------------------

export function tokenTransfer(w: World): Plan | undefined {
  const tokens = deployed(w, 'token');
  if (tokens.length === 0) return undefined;
  const token = w.rng.pick(tokens);
  const from = w.rng.pick(users(w));
  const to = pickHolder(w, false);
  const amount = w.rng.chance(0.2) ? (1n << 64n) * BigInt(w.rng.int(1, 1000)) + w.rng.bigBits(64) : w.rng.bigBits(40);
  return invoke(w, from, token, 'transfer', [addressVal(from.id), addressVal(to.id), i128(amount)], (fx) => {
    // SEP-41 token: DataKey::Balance(Address) -> i128 (not the SAC's map value).
    upsert(w, token, balanceKey(from.id), PERSISTENT, i128(w.rng.bigBits(80)), fx, LONG_TTL);
    upsert(w, token, balanceKey(to.id), PERSISTENT, i128(amount + w.rng.bigBits(20)), fx, LONG_TTL);
    fx.events.push(contractEvent(token.raw, [sym('transfer'), addressVal(from.id), addressVal(to.id)], i128(amount)));
  });
}

export function oracleUpdate(w: World): Plan | undefined {
  const oracles = deployed(w, 'oracle');
  if (oracles.length === 0) return undefined;
  const oracle = w.rng.pick(oracles);
  const source = w.rng.pick(users(w));
  const n = w.rng.int(1, 4);
  return invoke(w, source, oracle, 'set_price', [xdr.ScVal.scvU32(n)], (fx) => {
    oracle.counter += 300;
    const ts = BigInt(1_735_000_000 + oracle.counter);
    for (let i = 0; i < n; i++) {
      const price = w.rng.bigBits(w.rng.chance(0.3) ? 90 : 50);
      // Temporary: prices are only useful for a while; short TTLs make them expire and get evicted.
      const made = w.createData(oracle.raw, u128((ts << 8n) | BigInt(i)), TEMPORARY, i128(price), fx, w.rng.int(20, 120));
      oracle.keys.push(made.keyHash.toString('hex'));
      fx.events.push(contractEvent(oracle.raw, [sym('REFLECTOR'), sym('update'), xdr.ScVal.scvU32(i)], vec([xdr.ScVal.scvU64(u64(ts)), i128(price)])));
    }
    if (oracle.keys.length > 6 && w.rng.chance(0.5)) {
      const old = w.live.get(oracle.keys.shift()!);
      if (old) w.removeData(old, fx);
    }
    const inst = oracle.instanceKey ? w.live.get(oracle.instanceKey) : undefined;
    if (inst) w.updateData(inst, instanceVal(oracle, [[sym('last_timestamp'), xdr.ScVal.scvU64(u64(ts))]]), fx);
  });
}

export function counterIncrement(w: World): Plan | undefined {
  const counters = deployed(w, 'counter');
  if (counters.length === 0) return undefined;
  const c = w.rng.pick(counters);
  const source = w.rng.pick(users(w));
  return invoke(w, source, c, 'increment', [addressVal(source.id)], (fx) => {
    c.counter++;
    upsert(w, c, sym('COUNTER'), PERSISTENT, xdr.ScVal.scvU32(c.counter), fx, LONG_TTL);
    // A short-lived per-caller lock, created then dropped on a later call.
    const lockKey = vec([sym('Lock'), addressVal(source.id)]);
    const lock = lookup(w, c.raw, lockKey, TEMPORARY);
    if (lock) {
      w.removeData(lock, fx);
      c.keys.splice(c.keys.indexOf(lock.keyHash.toString('hex')), 1);
    } else upsert(w, c, lockKey, TEMPORARY, xdr.ScVal.scvBool(true), fx, w.rng.int(30, 200));
    fx.events.push(contractEvent(c.raw, [sym('COUNTER'), sym('increment')], xdr.ScVal.scvU32(c.counter)));
    return xdr.ScVal.scvU32(c.counter);
  });
}

const nameKey = (name: string): xdr.ScVal => vec([sym('Name'), str(name)]);
const nameVal = (owner: string, expires: number): xdr.ScVal =>
  map([
    [sym('expires'), xdr.ScVal.scvU64(u64(expires))],
    [sym('owner'), addressVal(owner)],
  ]);

export function registryCall(w: World): Plan | undefined {
  const regs = deployed(w, 'registry');
  if (regs.length === 0) return undefined;
  const reg = w.rng.pick(regs);
  const source = w.rng.pick(users(w));
  const existing = reg.keys.map((k) => w.live.get(k)).filter((l): l is LiveEntry => l !== undefined);
  const action =
    existing.length === 0
      ? 'register'
      : w.rng.weighted([
          ['register', 5],
          ['transfer', 3],
          ['unregister', 2],
        ] as const);
  if (action === 'register') {
    const name = `name-${reg.counter++}.xlm`;
    return invoke(w, source, reg, 'register', [str(name), addressVal(source.id)], (fx) => {
      // Some names get short TTLs so that, under protocol 23, they are archived and later restored.
      const ttl = w.rng.chance(0.3) ? w.rng.int(40, 150) : LONG_TTL;
      upsert(w, reg, nameKey(name), PERSISTENT, nameVal(source.id, 1_800_000_000), fx, ttl);
      fx.events.push(contractEvent(reg.raw, [sym('register'), str(name)], addressVal(source.id)));
    });
  }
  const target = w.rng.pick(existing);
  const name = target.entry.data().contractData().key().vec()![1]!.str().toString();
  return invoke(w, source, reg, action, [str(name)], (fx) => {
    if (action === 'transfer') w.updateData(target, nameVal(source.id, 1_900_000_000), fx);
    else {
      w.removeData(target, fx);
      reg.keys.splice(reg.keys.indexOf(target.keyHash.toString('hex')), 1);
    }
    fx.events.push(contractEvent(reg.raw, [sym(action), str(name)], action === 'transfer' ? addressVal(source.id) : xdr.ScVal.scvVoid()));
  });
}

export function extendTtl(w: World): Plan | undefined {
  const cs = deployed(w).filter((c) => c.instanceKey);
  if (cs.length === 0) return undefined;
  const c = w.rng.pick(cs);
  const pool = [c.instanceKey!, ...c.keys].map((k) => w.live.get(k)).filter((l): l is LiveEntry => l !== undefined);
  const picked = pool.filter(() => w.rng.chance(0.5)).slice(0, 3);
  if (picked.length === 0) picked.push(pool[0]!);
  const by = w.rng.int(10_000, 100_000);
  return {
    source: w.rng.pick(users(w)),
    soroban: true,
    op: Operation.extendFootprintTtl({ extendTo: by }),
    failed: tr(xdr.OperationResultTr.extendFootprintTtl(xdr.ExtendFootprintTtlResult.extendFootprintTtlResourceLimitExceeded())),
    apply: (fx) => {
      for (const l of picked) w.extendTtl(l, by, fx);
      return { result: tr(xdr.OperationResultTr.extendFootprintTtl(xdr.ExtendFootprintTtlResult.extendFootprintTtlSuccess())) };
    },
  };
}

export function restoreArchived(w: World): Plan | undefined {
  const first = w.archived.values().next();
  if (first.done) return undefined;
  const live = first.value;
  const owner = w.contracts.find((c) => c.raw.equals(Buffer.from(live.entry.data().contractData().contract().contractId() as unknown as Buffer)));
  return {
    source: w.rng.pick(users(w)),
    soroban: true,
    op: Operation.restoreFootprint({}),
    failed: tr(xdr.OperationResultTr.restoreFootprint(xdr.RestoreFootprintResult.restoreFootprintResourceLimitExceeded())),
    apply: (fx) => {
      w.restoreData(live, fx);
      owner?.keys.push(live.keyHash.toString('hex'));
      return { result: tr(xdr.OperationResultTr.restoreFootprint(xdr.RestoreFootprintResult.restoreFootprintSuccess())) };
    },
  };
}

/** A classic XLM payment: no Soroban meta at all, only account entries change. */
export function payment(w: World): Plan {
  const [src, dst] = [w.rng.pick(users(w)), w.rng.pick(users(w))];
  const amount = BigInt(w.rng.int(1, 10_000_000)) * 100n;
  return {
    source: src,
    soroban: false,
    op: Operation.payment({ destination: dst.id, asset: w.sacs[0]!.asset, amount: (Number(amount) / 1e7).toFixed(7) }),
    failed: tr(xdr.OperationResultTr.payment(xdr.PaymentResult.paymentUnderfunded())),
    apply: (fx) => {
      for (const [a, d] of [
        [src, -amount],
        [dst, amount],
      ] as const) {
        const before = a.entry();
        a.balance += d;
        a.lastModified = w.seq;
        fx.changes.push(...updated(before, a.entry()));
      }
      return { result: tr(xdr.OperationResultTr.payment(xdr.PaymentResult.paymentSuccess())) };
    },
  };
}

// --- deployment ------------------------------------------------------------------------------

export function uploadWasm(w: World, code: WasmCode): Plan {
  return {
    source: w.rng.pick(users(w)),
    soroban: true,
    failed: hostFnTrapped(),
    op: Operation.uploadContractWasm({ wasm: code.code }),
    apply: (fx) => {
      const entry = contractCodeEntry(code.hash, code.code, w.seq);
      fx.changes.push(created(entry), created(ttlEntry(keyHashOf(entry), w.seq + LONG_TTL, w.seq)));
      code.uploaded = true;
      const ret = xdr.ScVal.scvBytes(code.hash);
      return { result: invokeSuccess(ret, []), returnValue: ret };
    },
  };
}

function instanceVal(c: WasmContract | Sac, extra: Array<[xdr.ScVal, xdr.ScVal]> = []): xdr.ScVal {
  if (!('kind' in c)) {
    const info =
      c.admin === undefined
        ? vec([sym('Native')])
        : vec([
            sym(c.asset.getCode().length <= 4 ? 'AlphaNum4' : 'AlphaNum12'),
            map([
              [sym('asset_code'), str(c.asset.getCode())],
              [sym('issuer'), xdr.ScVal.scvBytes(scAddress(c.asset.getIssuer()).accountId().ed25519())],
            ]),
          ]);
    const storage: Array<[xdr.ScVal, xdr.ScVal]> = [
      [
        sym('METADATA'),
        map([
          [sym('decimal'), xdr.ScVal.scvU32(7)],
          [sym('name'), str(c.label)],
          [sym('symbol'), str(c.admin ? c.asset.getCode() : 'native')],
        ]),
      ],
    ];
    if (c.admin) storage.push([vec([sym('Admin')]), addressVal(c.admin.id)]);
    storage.push([vec([sym('AssetInfo')]), info]);
    return xdr.ScVal.scvContractInstance(
      new xdr.ScContractInstance({
        executable: xdr.ContractExecutable.contractExecutableStellarAsset(),
        storage: storage.map(([key, val]) => new xdr.ScMapEntry({ key, val })),
      }),
    );
  }
  const base: Record<WasmContract['kind'], Array<[xdr.ScVal, xdr.ScVal]> | null> = {
    token: [
      [sym('Admin'), addressVal(c.deployer.id)],
      [sym('Decimals'), xdr.ScVal.scvU32(7)],
      [sym('Name'), str(`Token ${c.contractId.slice(0, 5)}`)],
    ],
    oracle: [
      [sym('base'), sym('USD')],
      [sym('decimals'), xdr.ScVal.scvU32(14)],
    ],
    counter: null, // a contract without instance storage (the Option is empty)
    registry: [[sym('owner'), addressVal(c.deployer.id)]],
  };
  const storage = base[c.kind] === null && extra.length === 0 ? null : [...(base[c.kind] ?? []), ...extra];
  return xdr.ScVal.scvContractInstance(
    new xdr.ScContractInstance({
      executable: xdr.ContractExecutable.contractExecutableWasm(c.wasmHash),
      storage: storage === null ? null : storage.map(([key, val]) => new xdr.ScMapEntry({ key, val })),
    }),
  );
}

export function deploy(w: World, c: WasmContract | Sac): Plan {
  const isSac = !('kind' in c);
  const op = isSac
    ? Operation.createStellarAssetContract({ asset: c.asset })
    : Operation.createCustomContract({ address: new Address(c.deployer.id), wasmHash: c.wasmHash, salt: c.salt });
  return {
    source: isSac ? (c.admin ?? w.rng.pick(users(w))) : c.deployer,
    soroban: true,
    failed: hostFnTrapped(),
    op,
    apply: (fx) => {
      const made = w.createData(c.raw, xdr.ScVal.scvLedgerKeyContractInstance(), PERSISTENT, instanceVal(c), fx, LONG_TTL);
      c.deployed = true;
      if (!isSac) c.instanceKey = made.keyHash.toString('hex');
      const ret = xdr.ScVal.scvAddress(contractAddr(c.raw));
      return { result: invokeSuccess(ret, []), returnValue: ret };
    },
  };
}
