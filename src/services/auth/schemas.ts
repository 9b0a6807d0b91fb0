import { Type } from '@sinclair/typebox';
import { Nullable, NullableTimestamp, Timestamp } from '../../http/schemas.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';
import { REFRESH_TOKEN_PATTERN } from './refresh-tokens.js';
import { ROOM_NAME_PATTERN } from './rooms.js';

export const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254, description: 'Case-insensitive' });
const FullName = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
/** A calendar date; checked further in code to be real and in the past. */
export const DateOfBirth = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD, a past date' });

export const RegisterBody = Type.Object({
  email: Email,
  password: Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH }),
  full_name: FullName,
  date_of_birth: Type.Optional(DateOfBirth),
});

export const LoginBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
});

export const RefreshBody = Type.Object({
  refresh_token: Type.String({ pattern: REFRESH_TOKEN_PATTERN }),
});

export const LoginResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('bearer'),
  expires_in: Type.Integer({ description: 'Seconds the access token stays valid' }),
  refresh_token: Type.String(),
  livekit_token: Type.String({ description: 'Identifies the user to LiveKit; joins no room (use POST /auth/token)' }),
  livekit_url: Type.String(),
});

export const RoomTokenBody = Type.Object({
  room_name: Type.String({ pattern: ROOM_NAME_PATTERN }),
  participant_name: FullName,
});

export const RoomTokenResponse = Type.Object({
  livekit_token: Type.String(),
  livekit_url: Type.String(),
  room_name: Type.String(),
  session_id: Type.Integer(),
});

export const MeResponse = Type.Object({
  id: Type.String(),
  email: Type.String(),
  full_name: Type.String(),
  created_at: Timestamp,
  last_login: NullableTimestamp,
  date_of_birth: Nullable(Type.String()),
  memory_enabled: Type.Boolean({ description: 'Personas may remember a summary of your calls (off by default)' }),
  email_verified: Type.Boolean({ description: 'The email was confirmed from the link sent to it' }),
});

export const UpdateMeBody = Type.Object({
  full_name: Type.Optional(FullName),
  date_of_birth: Type.Optional(DateOfBirth),
  memory_enabled: Type.Optional(Type.Boolean({ description: 'Consent to persona memory; turning it off forgets every memory' })),
});

const JwkString = Type.Optional(Type.String());
export const JwksResponse = Type.Object({
  keys: Type.Array(
    Type.Object({ kty: Type.String(), kid: Type.String(), alg: JwkString, use: JwkString, crv: JwkString, x: JwkString, y: JwkString }),
  ),
});
