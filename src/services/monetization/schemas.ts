import { Type } from '@sinclair/typebox';
import { Nullable, NullableTimestamp, Timestamp } from '../../http/schemas.js';

export const PlanBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  price: Type.Number({ description: 'Decimal price in the currency (19.99)' }),
  price_cents: Type.Integer(),
  price_display: Type.String(),
  currency: Type.String(),
  interval: Type.Union([Type.Literal('month'), Type.Literal('year')]),
  features: Type.Array(Type.String()),
});
export const PlansResponse = Type.Object({ plans: Type.Array(PlanBody) });

export const SubscribeStepQuery = Type.Object({
  tier: Type.Literal('premium'),
  plan: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
export const SubscribeStepResponse = Type.Object({
  tier: Type.Literal('premium'),
  plan: PlanBody,
  message: Type.String(),
  next: Type.Object({
    method: Type.Literal('POST'),
    path: Type.Literal('/subscriptions'),
    body: Type.Object({ plan_id: Type.String() }),
  }, { description: 'The call that starts the subscription; confirm its client_secret with Stripe.js' }),
});

export const CreateSubscriptionBody = Type.Object({
  plan_id: Type.String({ minLength: 1, maxLength: 64 }),
  payment_method_id: Type.Optional(Type.String({ maxLength: 255, description: 'Attached to the customer as the default when given' })),
  coupon_code: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
});
export const CreateSubscriptionResponse = Type.Object({
  subscription_id: Type.String(),
  client_secret: Type.Union([Type.String(), Type.Null()], { description: 'Confirm the first invoice payment with Stripe.js; null when nothing is due' }),
  status: Type.String(),
  plan: Type.String({ description: 'The plan name' }),
  plan_id: Type.String(),
  amount: Type.Number({ description: 'First payment after any coupon, decimal' }),
  amount_cents: Type.Integer(),
  discount_cents: Type.Integer(),
  coupon_code: Nullable(Type.String()),
  currency: Type.String(),
  interval: Type.String(),
});

export const CurrentSubscriptionResponse = Type.Object({
  subscription_id: Type.String(),
  status: Type.String(),
  plan: Type.String(),
  plan_name: Type.String(),
  current_period_end: NullableTimestamp,
  cancel_at_period_end: Type.Boolean(),
  amount: Type.Number(),
  amount_cents: Type.Integer(),
  currency: Type.String(),
  features: Type.Array(Type.String()),
});

export const ChangePlanBody = Type.Object({ plan_id: Type.String({ minLength: 1, maxLength: 64 }) });
export const ChangePlanResponse = Type.Object({
  subscription_id: Type.String(),
  plan: Type.String(),
  plan_name: Type.String(),
  interval: Type.String(),
  current_period_end: Timestamp,
  proration_amount: Type.Number({ description: 'Charged now for the change (the unused part of the period credited)' }),
  proration_amount_cents: Type.Integer(),
  currency: Type.String(),
  message: Type.String(),
});
export const ResumeSubscriptionResponse = Type.Object({
  resumed: Type.Boolean(),
  message: Type.String(),
  status: Type.String(),
  current_period_end: NullableTimestamp,
});

export const CancelSubscriptionResponse = Type.Object({
  cancelled: Type.Boolean(),
  message: Type.String(),
  status: Type.String(),
  current_period_end: NullableTimestamp,
});

export const AdConfigResponse = Type.Object({
  ads_enabled: Type.Boolean(),
  ad_frequency: Type.Integer(),
  ad_types: Type.Array(Type.String()),
  reward_options: Type.Union([
    Type.Object({
      watch_ad_for_time: Type.Object({ ad_length: Type.Integer(), time_reward: Type.Number() }),
      watch_ad_for_discount: Type.Object({ ad_length: Type.Integer(), discount_percent: Type.Integer() }),
    }),
    Type.Null(),
  ]),
});

export const AdViewedBody = Type.Object({
  ad_id: Type.String({ minLength: 1, maxLength: 128 }),
  persona_slug: Type.Optional(Type.String({ maxLength: 128 })),
  view_duration: Type.Number({ minimum: 0, maximum: 86400, description: 'Seconds the ad was watched' }),
  reward_type: Type.Optional(
    Type.Union([Type.Literal('time'), Type.Literal('discount')], {
      description: "Which reward the view earns: 'discount' (default) or 'time'",
    }),
  ),
});
export const AdViewedResponse = Type.Object({
  reward_earned: Type.Boolean(),
  reward_type: Type.Union([Type.Literal('time'), Type.Literal('discount')]),
  cost_reduction_percentage: Type.Optional(Type.Integer()),
  next_session_discount: Type.Optional(Type.Number()),
  time_reward: Type.Optional(Type.Number({ description: 'Minutes credited' })),
  reward_expires_at: Type.Optional(Timestamp),
  reason: Type.Optional(Type.String()),
  message: Type.String(),
});

export const CouponParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) });
export const CouponQuery = Type.Object({
  amount: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'Purchase amount in cents' })),
});
export const CouponResponse = Type.Object({
  valid: Type.Boolean(),
  code: Type.String(),
  percent_off: Type.Optional(Nullable(Type.Integer())),
  amount_off_cents: Type.Optional(Nullable(Type.Integer())),
  description: Type.Optional(Type.String()),
  valid_until: Type.Optional(Nullable(Type.String())),
  discount_cents: Type.Optional(Type.Integer()),
  final_amount_cents: Type.Optional(Type.Integer()),
  reason: Type.Optional(Type.String({ description: 'Why the coupon is refused: the error code a purchase with it answers (coupon_not_found, coupon_expired, …)' })),
  message: Type.String(),
});
