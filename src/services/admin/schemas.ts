import { Type, type Static } from '@sinclair/typebox';
import { errorResponses, Nullable, NullableTimestamp, Timestamp } from '../../http/schemas.js';
import { Page, PageQuery } from './page.js';

/** What the admin typed to explain an action; it goes into the audit entry. */
export const Reason = Type.String({ minLength: 1, maxLength: 500, pattern: '\\S', description: 'Why: kept in the audit log' });
export const ReasonBody = Type.Object({ reason: Reason });
export type ReasonBody = Static<typeof ReasonBody>;

export const Json = Type.Record(Type.String(), Type.Unknown());
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date', description: 'YYYY-MM-DD (UTC)' });
const Id = Type.String({ minLength: 1, maxLength: 200 });
export const IdParams = Type.Object({ id: Id });
export const errors = (...codes: number[]) => errorResponses(401, 403, ...codes);

export const MeResponse = Type.Object({ id: Type.String(), email: Type.String(), role: Type.Literal('admin') });

export const OverviewQuery = Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) });
const Counts = (...keys: string[]) => Type.Object(Object.fromEntries(keys.map((k) => [k, Type.Number()])));
export const OverviewResponse = Type.Object({
  from: Type.String(),
  to: Type.String(),
  totals: Type.Object({
    users: Counts('total', 'new'),
    active_subscriptions: Type.Integer(),
    revenue_cents: Counts('time_cards', 'subscriptions', 'refunds', 'net'),
    minutes: Counts('sold', 'consumed', 'expired', 'granted', 'rewarded'),
    seconds: Counts('sold', 'consumed', 'expired', 'granted', 'rewarded'),
    sessions: Counts('total', 'live_now'),
  }),
  daily: Type.Array(
    Type.Object({
      date: Type.String(),
      ...Object.fromEntries(
        ['users_new', 'users_total', 'revenue_time_cards_cents', 'revenue_subscriptions_cents', 'refunds_cents', 'seconds_sold',
          'seconds_consumed', 'seconds_expired', 'seconds_granted', 'seconds_rewarded', 'sessions'].map((k) => [k, Type.Number()]),
      ),
    }),
  ),
});

export const UserQuery = Type.Object({ q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) });
export const UserListQuery = Type.Object({ ...UserQuery.properties, ...PageQuery });
const UserSummary = Type.Object({
  id: Type.String(),
  email: Type.String(),
  full_name: Type.String(),
  role: Type.Union([Type.Literal('user'), Type.Literal('admin')]),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  disabled_at: NullableTimestamp,
  created_at: Timestamp,
  last_login: NullableTimestamp,
  balance_seconds: Type.Integer(),
});
export const UserList = Page(UserSummary);
export const UserDetail = Type.Object({
  ...UserSummary.properties,
  date_of_birth: Nullable(Type.String()),
  balance: Type.Object({ total_seconds: Type.Integer(), active_cards: Type.Integer(), next_expiration: NullableTimestamp }),
  cards: Type.Array(Json),
  sessions: Type.Array(Json),
  payments: Type.Array(Json),
  subscription: Type.Union([Json, Type.Null()]),
  ad_rewards: Type.Array(Json),
});

export const GrantBody = Type.Object({
  minutes: Type.Integer({ minimum: 1, maximum: 100_000, description: 'Whole minutes to credit; taking time back is a card void' }),
  reason: Reason,
});
export const GrantResponse = Type.Object({ card_id: Type.String(), granted_seconds: Type.Integer(), balance_seconds: Type.Integer() });
export const VoidResponse = Type.Object({ card_id: Type.String(), voided_seconds: Type.Integer(), balance_seconds: Type.Integer() });
export const StandingResponse = Type.Object({
  user_id: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  ended_sessions: Type.Array(Type.String()),
});

export const SessionQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('completed')])),
  user_id: Type.Optional(Id),
  persona_slug: Type.Optional(Id),
});
export const SessionListQuery = Type.Object({ ...SessionQuery.properties, ...PageQuery });
export const SessionList = Page(
  Type.Object({
    id: Type.String(),
    user_id: Type.String(),
    email: Type.String(),
    session_id: Type.String(),
    room_name: Type.String(),
    persona_slug: Nullable(Type.String()),
    status: Type.Union([Type.Literal('active'), Type.Literal('completed')]),
    started_at: Timestamp,
    ended_at: NullableTimestamp,
    billed_seconds: Nullable(Type.Integer()),
    charged_seconds: Nullable(Type.Integer()),
    end_reason: Nullable(Type.String()),
    extra: Json,
  }),
);
export const SessionEndResponse = Type.Object({
  session_id: Type.String(),
  status: Type.Literal('completed'),
  charged_seconds: Type.Integer(),
  room_closed: Type.Boolean(),
});

export const PaymentQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('refunded')])),
  user_id: Type.Optional(Id),
  purpose: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
});
export const PaymentListQuery = Type.Object({ ...PaymentQuery.properties, ...PageQuery });
export const PaymentList = Page(
  Type.Object({
    id: Type.String(),
    user_id: Type.String(),
    email: Type.String(),
    amount_cents: Type.Integer(),
    currency: Type.String(),
    status: Type.String(),
    payment_intent_id: Type.String(),
    purpose: Type.String(),
    reference: Nullable(Type.String()),
    created_at: Timestamp,
  }),
);
export const RefundBody = Type.Object({ amount_cents: Type.Optional(Type.Integer({ minimum: 1 })), reason: Reason });
export const RefundResponse = Type.Object({
  payment_id: Type.String(),
  refund_id: Type.String(),
  amount_cents: Type.Integer(),
  status: Type.Literal('requested', { description: 'Applied when the provider\'s charge.refunded event arrives' }),
});

const Coupon = Type.Object({
  code: Type.String(),
  description: Type.String(),
  percent_off: Nullable(Type.Integer()),
  amount_off_cents: Nullable(Type.Integer()),
  valid_until: NullableTimestamp,
  max_redemptions: Nullable(Type.Integer()),
  redemptions_count: Type.Integer(),
  new_users_only: Type.Boolean(),
  active: Type.Boolean(),
  created_at: Timestamp,
});
export const CouponResponse = Coupon;
export const CouponListQuery = Type.Object({ active: Type.Optional(Type.Boolean()), ...PageQuery });
export const CouponList = Page(Coupon);
export const CouponCodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) });
export const NewCouponBody = Type.Object({
  code: Type.String({ pattern: '^[A-Za-z0-9_-]{3,40}$' }),
  description: Type.String({ minLength: 1, maxLength: 200 }),
  percent_off: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  amount_off_cents: Type.Optional(Type.Integer({ minimum: 1 })),
  valid_until: Type.Optional(Timestamp),
  max_redemptions: Type.Optional(Type.Integer({ minimum: 1 })),
  new_users_only: Type.Optional(Type.Boolean()),
  reason: Reason,
});

const Tier = Type.Object({
  id: Type.String(),
  name: Type.String(),
  hours: Type.Integer(),
  bonus_minutes: Type.Integer(),
  price_cents: Type.Integer(),
  currency: Type.String(),
  description: Type.String(),
  sort_order: Type.Integer(),
  active: Type.Boolean(),
});
export const TierResponse = Tier;
export const TierList = Type.Object({ items: Type.Array(Tier), next_cursor: Type.Null() });
export const TierPatchBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  price_cents: Type.Optional(Type.Integer({ minimum: 50 })),
  hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  bonus_minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  description: Type.Optional(Type.String({ maxLength: 500 })),
  active: Type.Optional(Type.Boolean()),
  reason: Reason,
});

export const PersonaListQuery = Type.Object({
  kind: Type.Optional(Type.Union([Type.Literal('catalogue'), Type.Literal('custom')])),
  published: Type.Optional(Type.Boolean()),
  ...PageQuery,
});
export const PersonaList = Page(
  Type.Object({
    slug: Type.String(),
    name: Type.String(),
    summary: Type.String(),
    category: Type.String(),
    access_level: Type.String(),
    is_custom: Type.Boolean(),
    owner_id: Nullable(Type.String()),
    owner_email: Nullable(Type.String()),
    published: Type.Boolean(),
    usage_count: Type.Integer(),
    sessions: Type.Integer(),
    minutes: Type.Number(),
    rating: Nullable(Type.Number()),
    rating_count: Type.Integer(),
    cost_multiplier: Type.Number(),
    revenue_cents: Type.Integer(),
    created_at: Timestamp,
  }),
);
export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 64 }) });
export const PersonaPatchBody = Type.Object({
  published: Type.Optional(Type.Boolean()),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  summary: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  access_level: Type.Optional(Type.Union([Type.Literal('free'), Type.Literal('premium')])),
  ad_supported: Type.Optional(Type.Boolean()),
  cost_multiplier_milli: Type.Optional(Type.Integer({ minimum: 100, maximum: 5000 })),
  session_limit_minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
  daily_limit_minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
  reason: Reason,
});

export const WebhookListQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('processed'), Type.Literal('rejected'), Type.Literal('pending'), Type.Literal('failed')])),
  source: Type.Optional(Type.Union([Type.Literal('stripe'), Type.Literal('livekit'), Type.Literal('simulated')])),
  ...PageQuery,
});
export const WebhookList = Page(
  Type.Object({
    id: Type.String(),
    source: Type.String(),
    type: Type.String(),
    status: Type.String(),
    received_at: Timestamp,
    failed_rounds: Type.Integer(),
    next_attempt_at: NullableTimestamp,
    rejected_reason: Type.Union([Type.String(), Type.Null()]),
  }),
);
export const ReplayResponse = Type.Object({ id: Type.String(), status: Type.String() });

const Rate = Nullable(Type.Number());
export const SystemResponse = Type.Object({
  services: Type.Array(
    Type.Object({
      name: Type.String(),
      url: Type.String(),
      health: Type.String(),
      ready: Type.String(),
      metrics: Type.Union([
        Type.Object({
          requests_total: Type.Number(),
          client_errors_total: Type.Number(),
          server_errors_total: Type.Number(),
          uptime_seconds: Rate,
          requests_per_minute: Rate,
          server_errors_per_minute: Rate,
        }),
        Type.Null(),
      ]),
    }),
  ),
  database: Type.Object({ kind: Type.String(), status: Type.String() }),
  migrations: Type.Array(Type.Object({ version: Type.String(), applied_at: Timestamp })),
  payments: Type.String(),
});

export const AuditListQuery = Type.Object({
  admin_id: Type.Optional(Id),
  object_type: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  object_id: Type.Optional(Id),
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  ...PageQuery,
});
export const AuditList = Page(
  Type.Object({
    id: Type.String(),
    admin_id: Nullable(Type.String()),
    admin_email: Nullable(Type.String()),
    action: Type.String(),
    object_type: Type.String(),
    object_id: Type.String(),
    before: Type.Unknown(),
    after: Type.Unknown(),
    reason: Type.String(),
    created_at: Timestamp,
  }),
);
