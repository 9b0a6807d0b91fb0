import type { Queryable } from '../../db/database.js';
import type { Platform } from '../../platform.js';
import { startRefreshFamily } from './refresh-tokens.js';
import type { UserRow } from './users.js';

export interface LoginBody {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token: string;
  livekit_token: string;
  livekit_url: string;
}

/** The body register, login and refresh answer with, for a new refresh family. */
export async function newSession(platform: Platform, q: Queryable, user: UserRow, now: Date): Promise<LoginBody> {
  const refreshToken = await startRefreshFamily(q, user.id, now, platform.config.REFRESH_TOKEN_TTL_DAYS);
  return sessionBody(platform, user, refreshToken);
}

export async function sessionBody(
  platform: Platform,
  user: Pick<UserRow, 'id' | 'email' | 'role' | 'full_name'>,
  refreshToken: string,
): Promise<LoginBody> {
  const [accessToken, livekitToken] = await Promise.all([
    platform.accessTokens.sign({ sub: user.id, email: user.email, role: user.role }),
    platform.livekit.userToken({ id: user.id, fullName: user.full_name }),
  ]);
  return {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: platform.accessTokens.ttlSeconds,
    refresh_token: refreshToken,
    livekit_token: livekitToken,
    livekit_url: platform.livekit.url,
  };
}
