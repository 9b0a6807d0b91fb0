import { currentUser } from '../../http/authenticate.js';
import { conflict, unauthenticated, validationFailed } from '../../http/errors.js';
import { bearerSecurity, errorResponses } from '../../http/schemas.js';
import { signedInRoutes, type RoutePlugin } from '../../http/routes.js';
import type { Platform } from '../../platform.js';
import { checkDateOfBirth } from './date-of-birth.js';
import { claimRoom } from './rooms.js';
import { JwksResponse, MeResponse, RoomTokenBody, RoomTokenResponse, UpdateMeBody } from './schemas.js';
import { findUserById, updateProfile, type UserRow } from './users.js';

const tags = ['auth'];
const errors = errorResponses;

export function meBody(user: UserRow) {
  return {
    id: user.id,
    email: user.email,
    full_name: user.full_name,
    created_at: user.created_at.toISOString(),
    last_login: user.last_login?.toISOString() ?? null,
    date_of_birth: user.date_of_birth,
    memory_enabled: user.memory_enabled,
    email_verified: user.email_verified_at !== null,
  };
}

/** The signed-in user's own account and room tokens. */
export function accountRoutes(platform: Platform): RoutePlugin {
  return signedInRoutes(platform, async (app) => {
    app.get(
      '/auth/me',
      { schema: { tags, summary: 'The signed-in user', security: bearerSecurity, response: { 200: MeResponse, ...errors(401) } } },
      async (request) => {
        const user = await findUserById(platform.db, currentUser(request).id);
        if (!user) throw unauthenticated('The account for this access token no longer exists.');
        return meBody(user);
      },
    );

    app.patch(
      '/auth/me',
      {
        schema: {
          tags,
          summary: 'Change the full name or the memory consent, or record the date of birth (once)',
          security: bearerSecurity,
          body: UpdateMeBody,
          response: { 200: MeResponse, ...errors(401, 409, 422) },
        },
      },
      async (request) => {
        const { full_name: fullName, date_of_birth: dob, memory_enabled: memoryEnabled } = request.body;
        if (fullName === undefined && dob === undefined && memoryEnabled === undefined) {
          throw validationFailed('Send full_name, date_of_birth or memory_enabled to change.');
        }
        const dateOfBirth = dob === undefined ? undefined : checkDateOfBirth(dob, platform.clock.now());
        const userId = currentUser(request).id;
        const updated = await platform.db.transaction(async (tx) => {
          const [row] = await tx.query<{ dob: string | null }>(
            `SELECT to_char(date_of_birth, 'YYYY-MM-DD') AS dob FROM users WHERE id = $1 FOR UPDATE`,
            [userId],
          );
          if (!row) throw unauthenticated('The account for this access token no longer exists.');
          // The date of birth gates 18+ personas: once recorded it is not self-editable.
          if (dateOfBirth !== undefined && row.dob !== null && row.dob !== dateOfBirth) {
            throw conflict('Your date of birth is already recorded and cannot be changed here; contact support to correct it.', 'date_of_birth_locked');
          }
          // Consent withdrawn: what personas remembered goes with it.
          if (memoryEnabled === false) await tx.query(`DELETE FROM persona_memories WHERE user_id = $1`, [userId]);
          return updateProfile(tx, userId, { fullName, dateOfBirth, memoryEnabled });
        });
        if (!updated) throw unauthenticated('The account for this access token no longer exists.');
        return meBody(updated);
      },
    );

    app.post(
      '/auth/token',
      {
        schema: {
          tags,
          summary: 'A LiveKit token for one room, which becomes (or already is) yours',
          security: bearerSecurity,
          body: RoomTokenBody,
          response: { 200: RoomTokenResponse, ...errors(401, 403, 422) },
        },
      },
      async (request) => {
        const user = currentUser(request);
        const { room_name: roomName, participant_name: name } = request.body;
        const room = await platform.db.transaction((tx) => claimRoom(tx, user.id, roomName));
        const token = await platform.livekit.roomToken({ identity: user.id, name, room: roomName });
        return { livekit_token: token, livekit_url: platform.livekit.url, room_name: roomName, session_id: room.id };
      },
    );
  });
}

/** Public keys that verify access tokens, for services deployed apart from Auth. */
export function jwksRoutes(platform: Platform): RoutePlugin {
  return async (app) => {
    app.get('/.well-known/jwks.json', { schema: { tags, summary: 'Access-token verification keys (JWKS)', response: { 200: JwksResponse } } }, async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return platform.accessTokens.publicJwks();
    });
  };
}
