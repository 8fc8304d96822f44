import { webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { AppError } from '../http/app-error.js';

const issuer = 'mission-control';
const audience = 'mission-control-api';

const claimsSchema = z.object({
  sub: z.string(),
  wid: z.string(),
  sid: z.string(),
  exp: z.number(),
});
export type AccessTokenClaims = { userId: string; workspaceId: string; sessionId: string };

export interface AccessTokenSigner {
  sign(claims: AccessTokenClaims, now: Date): Promise<{ token: string; expiresAt: Date }>;
  /** The claims of a genuine, unexpired token, and when it expires. */
  verify(token: string, now: Date): Promise<AccessTokenClaims & { expiresAt: Date }>;
}

/** Short-lived HS256 JWTs naming the user, the workspace and the login session. */
export function createAccessTokenSigner(key: Uint8Array, ttlSeconds: number): AccessTokenSigner {
  // Imported once: handed the raw bytes, jose imports the HMAC key on every sign and verify
  // (~125 µs, 14 % of an authenticated request's CPU).
  let imported: Promise<webcrypto.CryptoKey> | undefined;
  const hmacKey = () => {
    imported ??= webcrypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    return imported;
  };
  return {
    async sign(claims, now) {
      const issuedAt = Math.floor(now.getTime() / 1000);
      const expiresAt = new Date((issuedAt + ttlSeconds) * 1000);
      const token = await new SignJWT({ wid: claims.workspaceId, sid: claims.sessionId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.userId)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ttlSeconds)
        .sign(await hmacKey());
      return { token, expiresAt };
    },
    async verify(token, now) {
      try {
        const { payload } = await jwtVerify(token, await hmacKey(), {
          issuer,
          audience,
          algorithms: ['HS256'],
          currentDate: now,
          // jose checks exp only when present: a token signed without one would never expire.
          requiredClaims: ['exp', 'iat', 'sub'],
        });
        const claims = claimsSchema.parse(payload);
        return { userId: claims.sub, workspaceId: claims.wid, sessionId: claims.sid, expiresAt: new Date(claims.exp * 1000) };
      } catch (error) {
        if (error instanceof errors.JWTExpired) {
          throw new AppError('TOKEN_EXPIRED', 'The access token has expired. Get a new one with POST /api/v1/auth/refresh.');
        }
        throw new AppError('TOKEN_INVALID', 'The access token is not valid. Sign in again with POST /api/v1/auth/login.');
      }
    },
  };
}
