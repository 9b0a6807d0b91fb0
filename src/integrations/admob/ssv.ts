import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * AdMob rewarded-ad server-side verification (SSV): the ad network calls our callback URL
 * with the reward in its query string, signed with ECDSA P-256 / SHA-256 over everything
 * before `&signature=`; `signature` (base64url DER) and `key_id` come last. The public keys
 * are AdMob's verifier-keys.json (`{"keys":[{"keyId":…,"pem":…,"base64":…}]}`).
 */
export interface SsvReward {
  transactionId: string;
  userId: string;
  /** The app's own data for the view: MindBot's clients send the ad_id they report. */
  customData: string;
  adNetwork: string;
  adUnit: string;
  rewardItem: string;
  rewardAmount: number;
  timestampMs: number;
}

export class SsvRejected extends Error {
  override name = 'SsvRejected';
}

export type SsvKeys = ReadonlyMap<string, KeyObject>;

/** Parses a verifier-keys.json document into keys by id. */
export function parseSsvKeys(json: string): SsvKeys {
  const doc = JSON.parse(json) as { keys?: { keyId?: number | string; pem?: string; base64?: string }[] };
  if (!Array.isArray(doc.keys) || doc.keys.length === 0) throw new Error('ADMOB_SSV_KEYS: expected {"keys":[{"keyId":…,"pem":…}]}');
  const keys = new Map<string, KeyObject>();
  for (const k of doc.keys) {
    if (k.keyId === undefined || (!k.pem && !k.base64)) throw new Error('ADMOB_SSV_KEYS: every key needs keyId and pem (or base64)');
    const key = k.pem ? createPublicKey(k.pem) : createPublicKey({ key: Buffer.from(k.base64!, 'base64'), format: 'der', type: 'spki' });
    keys.set(String(k.keyId), key);
  }
  return keys;
}

/** Verifies one callback's raw query string (without the leading `?`) and returns its reward. */
export function verifySsvQuery(rawQuery: string, keys: SsvKeys): SsvReward {
  const at = rawQuery.indexOf('&signature=');
  if (at < 0) throw new SsvRejected('the callback is not signed');
  const message = rawQuery.slice(0, at);
  const tail = new URLSearchParams(rawQuery.slice(at + 1));
  const signature = tail.get('signature') ?? '';
  const keyId = tail.get('key_id') ?? '';
  const key = keys.get(keyId);
  if (!key) throw new SsvRejected('the callback is signed with an unknown key');
  let ok = false;
  try {
    ok = verify('sha256', Buffer.from(message, 'utf8'), { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64url'));
  } catch {
    ok = false;
  }
  if (!ok) throw new SsvRejected('the callback signature does not match');
  const p = new URLSearchParams(message);
  const reward: SsvReward = {
    transactionId: p.get('transaction_id') ?? '',
    userId: p.get('user_id') ?? '',
    customData: p.get('custom_data') ?? '',
    adNetwork: p.get('ad_network') ?? '',
    adUnit: p.get('ad_unit') ?? '',
    rewardItem: p.get('reward_item') ?? '',
    rewardAmount: Number(p.get('reward_amount') ?? '0'),
    timestampMs: Number(p.get('timestamp') ?? 'NaN'),
  };
  if (!reward.transactionId || reward.transactionId.length > 128 || !reward.userId || !reward.customData || reward.customData.length > 128) {
    throw new SsvRejected('the callback lacks transaction_id, user_id or custom_data');
  }
  if (!Number.isFinite(reward.timestampMs)) throw new SsvRejected('the callback has no timestamp');
  return reward;
}

/**
 * An ad network that signs callbacks the way AdMob does, with a key of its own: the offline
 * provider, verified by the same code as the real one.
 */
export class SimulatedAdNetwork {
  readonly keyId = '1';
  private readonly pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  readonly keys: SsvKeys = new Map([[this.keyId, this.pair.publicKey]]);

  /** verifier-keys.json for this network's key. */
  verifierKeysJson(): string {
    return JSON.stringify({ keys: [{ keyId: Number(this.keyId), pem: this.pair.publicKey.export({ type: 'spki', format: 'pem' }) }] });
  }

  /** The callback's query string for one rewarded view. */
  callbackQuery(r: { transactionId: string; userId: string; customData: string; timestampMs: number; rewardItem?: string; rewardAmount?: number }): string {
    const message = new URLSearchParams({
      ad_network: '5450213213286189855',
      ad_unit: '1234567890',
      custom_data: r.customData,
      reward_amount: String(r.rewardAmount ?? 1),
      reward_item: r.rewardItem ?? 'reward',
      timestamp: String(r.timestampMs),
      transaction_id: r.transactionId,
      user_id: r.userId,
    }).toString();
    const signature = sign('sha256', Buffer.from(message, 'utf8'), { key: this.pair.privateKey, dsaEncoding: 'der' }).toString('base64url');
    return `${message}&signature=${signature}&key_id=${this.keyId}`;
  }
}
