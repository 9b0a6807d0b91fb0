import { Type, type Static } from '@sinclair/typebox';
import { Nullable, NullableTimestamp, Timestamp } from '../../http/schemas.js';

/** The guide's shapes for the Persona API. */

export const CATEGORY_VALUES = ['general', 'education', 'wellness', 'entertainment', 'technical'] as const;
export const Category = Type.Union(CATEGORY_VALUES.map((c) => Type.Literal(c)));
export const AccessLevel = Type.Union([Type.Literal('free'), Type.Literal('premium')]);
export const SortBy = Type.Union(['rating', 'popular', 'name', 'cost'].map((s) => Type.Literal(s)));
export const TierParam = Type.Union([Type.Literal('free'), Type.Literal('premium')]);

export const SlugParams = Type.Object({
  slug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$', description: 'The persona slug' }),
});

export const ListQuery = Type.Object({
  user_tier: Type.Optional(TierParam),
  category: Type.Optional(Category),
  ad_supported: Type.Optional(Type.Boolean()),
  sort_by: Type.Optional(SortBy),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type ListQuery = Static<typeof ListQuery>;

export const Voice = Type.Object({ tts: Type.String(), style: Type.String() });

const common = {
  slug: Type.String(),
  name: Type.String(),
  summary: Type.String(),
  category: Type.String(),
  access_level: AccessLevel,
  rating: Type.Union([Type.Number(), Type.Null()], { description: 'Average of users\' ratings; null until rated' }),
  cost_multiplier: Type.Number(),
  session_limit: Type.Union([Type.Integer(), Type.Null()], { description: 'Minutes per session' }),
  age_restriction: Nullable(Type.Integer()),
  ad_supported: Type.Boolean(),
  premium_features: Type.Array(Type.String()),
  is_custom: Type.Boolean(),
};

export const PersonaSummary = Type.Object({
  ...common,
  estimated_cost_per_hour: Type.Number({ description: 'Dollars per hour of talk' }),
  requires_upgrade: Type.Boolean({ description: 'True when the viewer\'s tier cannot start it' }),
});

export const ListResponse = Type.Object({ personas: Type.Array(PersonaSummary) });

export const PersonaDetail = Type.Object({
  ...common,
  persona: Type.String(),
  purpose: Type.String(),
  voice: Voice,
  tools: Type.Array(Type.String()),
  safety: Type.String(),
  usage_count: Type.Integer(),
  daily_limit: Type.Union([Type.Integer(), Type.Null()], { description: 'Minutes per day' }),
  user_customizable_fields: Type.Array(Type.String()),
  estimated_cost_per_hour: Type.Number(),
  created_at: Timestamp,
});

export const CategoriesResponse = Type.Object({
  categories: Type.Array(
    Type.Object({
      value: Type.String(),
      label: Type.String(),
      description: Type.String(),
      icon: Type.String(),
      persona_count: Type.Integer(),
      popular_personas: Type.Array(Type.String()),
    }),
  ),
});

export const CustomPersonaBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 60 }),
  summary: Type.String({ minLength: 1, maxLength: 300 }),
  persona: Type.String({ minLength: 1, maxLength: 1000 }),
  purpose: Type.String({ minLength: 1, maxLength: 1000 }),
  category: Category,
});
export type CustomPersonaBody = Static<typeof CustomPersonaBody>;

export const CustomPersonaPatch = Type.Partial(CustomPersonaBody);
export type CustomPersonaPatch = Static<typeof CustomPersonaPatch>;

export const OwnPersonasResponse = Type.Object({
  personas: Type.Array(Type.Composite([PersonaSummary, Type.Object({ persona: Type.String(), purpose: Type.String() })])),
  limit: Type.Integer({ description: 'Custom personas a Premium account may keep' }),
  remaining: Type.Integer({ description: 'Slots left' }),
});

export const CustomPersonaResponse = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  message: Type.String(),
  system_prompt_preview: Type.String(),
  cost_multiplier: Type.Number(),
  estimated_hourly_cost: Type.Number(),
});

export const SessionBody = Type.Object({
  room_name: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,128}$' })),
  enable_ads: Type.Boolean({ default: false }),
  quality_preference: Type.Union(['low', 'standard', 'high'].map((q) => Type.Literal(q)), { default: 'standard' }),
});
export type SessionBody = Static<typeof SessionBody>;

export const SessionResponse = Type.Object({
  session_started: Type.Boolean(),
  room_name: Type.String(),
  livekit_token: Type.String(),
  livekit_url: Type.String(),
  persona: Type.Object({
    name: Type.String(),
    slug: Type.String(),
    summary: Type.String(),
    cost_multiplier: Type.Number(),
    voice: Voice,
    ad_supported: Type.Boolean(),
  }),
  session_id: Type.String(),
  time_balance: Type.Object({
    total_minutes: Type.Number(),
    total_hours: Type.Number(),
    active_cards: Type.Integer(),
    next_expiration: Nullable(Timestamp),
  }),
  estimated_cost_per_minute: Type.Number({ description: 'Balance minutes per minute of talk, before the ad saving' }),
  ads_enabled: Type.Boolean(),
  cost_savings: Type.Number({ description: 'Balance minutes saved per minute of talk by ads' }),
  premium_features_available: Type.Array(Type.String()),
  quality: Type.Union(['low', 'standard', 'high'].map((q) => Type.Literal(q)), { description: 'The voice quality this session gets' }),
  quality_downgraded: Type.Boolean({ description: 'True when high quality was asked for without Premium: the session gets standard' }),
});

export const RateQuery = Type.Object({
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  feedback: Type.Optional(Type.String({ maxLength: 1000 })),
});

export const RateResponse = Type.Object({
  message: Type.String(),
  rating_recorded: Type.Integer(),
  persona: Type.String(),
  average_rating: Type.Number(),
  rating_count: Type.Integer(),
});

const SlugName = { slug: Type.String(), name: Type.String() };
export const AnalyticsResponse = Type.Object({
  user_usage: Type.Object({
    total_sessions: Type.Integer(),
    total_minutes: Type.Number(),
    favorite_persona: Nullable(Type.String()),
    most_used_category: Nullable(Type.String()),
    average_session_length: Type.Number({ description: 'Minutes per completed session' }),
    cost_savings_from_ads: Type.Number({ description: 'Dollars not charged thanks to ads' }),
  }),
  persona_recommendations: Type.Array(Type.Object({ ...SlugName, reason: Type.String() })),
  popular_personas: Type.Array(Type.Object({ ...SlugName, usage_percent: Type.Number() })),
  category_usage: Type.Record(Type.String(), Type.Number()),
});

export const PreferencesBody = Type.Object({
  preferences: Type.Record(Type.String({ maxLength: 64 }), Nullable(Type.String({ maxLength: 500 })), {
    description: 'Values for the persona\'s user_customizable_fields; null or "" clears one. Replaces what was set.',
    maxProperties: 20,
  }),
});
export const PreferencesResponse = Type.Object({
  persona_slug: Type.String(),
  fields: Type.Array(
    Type.Object({
      name: Type.String(),
      allowed_values: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'null: free text' }),
      max_length: Type.Integer(),
    }),
  ),
  preferences: Type.Record(Type.String(), Type.String()),
});

export const MemoryResponse = Type.Object({
  persona_slug: Type.String(),
  memory_enabled: Type.Boolean({ description: 'Your consent (PATCH /auth/me); off by default' }),
  summary: Nullable(Type.String()),
  updated_at: NullableTimestamp,
});
