import { Type } from '@sinclair/typebox';
import { Nullable, NullableTimestamp, Timestamp } from '../../http/schemas.js';

const Minutes = Type.Number({ minimum: 0, description: 'seconds / 60, at most two decimals' });

export const PricingTier = Type.Object({
  id: Type.String(),
  name: Type.String(),
  hours: Type.Integer(),
  price_cents: Type.Integer(),
  price_display: Type.String(),
  bonus_minutes: Type.Integer(),
  total_minutes: Type.Integer(),
  description: Type.String(),
});
export const PricingResponse = Type.Object({ pricing_tiers: Type.Array(PricingTier) });

export const PurchaseRequest = Type.Object({
  package_id: Type.String({ minLength: 1, maxLength: 64 }),
  payment_method_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9_]+$' })),
  save_payment_method: Type.Optional(Type.Boolean()),
  coupon_code: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Redeemed with this purchase (GET /coupons/validate checks it first)' })),
});
export const PurchaseResponse = Type.Object({
  payment_intent_id: Type.String(),
  amount_cents: Type.Optional(Type.Integer({ description: 'What the payment charges, after any coupon' })),
  discount_cents: Type.Optional(Type.Integer()),
  client_secret: Type.String(),
  time_card_id: Type.String(),
  activation_code: Type.String(),
  package: Type.Object({ name: Type.String(), hours: Type.Integer(), bonus_minutes: Type.Integer(), total_minutes: Type.Integer() }),
});

export const ActivateRequest = Type.Object({ activation_code: Type.String({ minLength: 1, maxLength: 64 }) });
export const ActivateResponse = Type.Object({
  message: Type.String(),
  time_card: Type.Object({ id: Type.String(), total_minutes: Minutes, remaining_minutes: Minutes, expires_at: Timestamp }),
});

export const BalanceObject = Type.Object({
  total_minutes: Minutes,
  total_hours: Type.Number({ minimum: 0 }),
  active_cards: Type.Integer({ minimum: 0 }),
  next_expiration: NullableTimestamp,
});
export const TimeCard = Type.Object({
  id: Type.String(),
  activation_code: Nullable(Type.String()),
  total_minutes: Minutes,
  remaining_minutes: Minutes,
  status: Type.String(),
  activated_at: NullableTimestamp,
  expires_at: NullableTimestamp,
  created_at: Timestamp,
});
export const BalanceResponse = Type.Object({ balance: BalanceObject, time_cards: Type.Array(TimeCard) });

export const SessionStartRequest = Type.Object({
  session_id: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' }),
  room_name: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,128}$' }),
});
export const SessionStartResponse = Type.Object({
  session_id: Type.String(),
  start_time: Timestamp,
  remaining_balance_minutes: Minutes,
});

export const SessionEndRequest = Type.Object({
  session_id: Type.String({ minLength: 1, maxLength: 128 }),
  duration_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
});
export const SessionEndResponse = Type.Object({
  session_id: Type.String(),
  duration_seconds: Type.Integer({ minimum: 0 }),
  cost_minutes: Minutes,
  status: Type.Literal('completed'),
  remaining_balance: Type.Object({ total_minutes: Minutes, total_hours: Type.Number(), active_cards: Type.Integer() }),
});

export const SessionsQuery = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) });
export const SessionItem = Type.Object({
  id: Type.String(),
  session_id: Type.String(),
  room_name: Type.String(),
  persona_slug: Nullable(Type.String()),
  start_time: Timestamp,
  end_time: NullableTimestamp,
  duration_seconds: Nullable(Type.Integer()),
  cost_minutes: Nullable(Minutes),
  status: Type.Union([Type.Literal('active'), Type.Literal('completed')]),
  billing_started_at: Nullable(Type.String({
    description: 'When billing began: the start for a plain session, when the user and the agent were both in the room for a persona session (null: never)',
    format: 'date-time',
  })),
  ended_reason: Nullable(Type.String({
    description: 'What ended it: client, cap_reached, no_show, budget, user_left, idle, error, admin, livekit_participant_left, livekit_agent_left, livekit_room_finished, room_finished',
  })),
  usage: Type.Unknown({ description: 'Model usage the voice agent reported, {llm, stt, tts}; null without a report' }),
  latency: Type.Unknown({ description: 'p50/p95 latencies the voice agent reported, in ms; null without a report' }),
  provider_cost_usd: Nullable(Type.Number({ description: 'What the model providers cost for this call (PROVIDER_PRICES)' })),
});
export const SessionsResponse = Type.Object({ sessions: Type.Array(SessionItem) });
