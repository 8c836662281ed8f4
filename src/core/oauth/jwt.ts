/**
 * JWT decoding with jose, never throwing: traffic is hostile input.
 * Signature verification lives with the ID token checks.
 */
import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { pruneDepth } from './bounded-json.ts';

export interface DecodedJwt {
  header: ProtectedHeaderParameters;
  payload: JWTPayload;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*$/;

export function looksLikeJwt(value: string | undefined): value is string {
  return typeof value === 'string' && value.length < 100_000 && JWT_SHAPE.test(value);
}

export function tryDecodeJwt(value: string | undefined): DecodedJwt | undefined {
  if (!looksLikeJwt(value)) return undefined;
  try {
    // Claims are captured JSON: nesting is bounded like every other body (see bounded-json.ts).
    return { header: pruneDepth(decodeProtectedHeader(value)) as ProtectedHeaderParameters, payload: pruneDepth(decodeJwt(value)) as JWTPayload };
  } catch {
    return undefined;
  }
}
