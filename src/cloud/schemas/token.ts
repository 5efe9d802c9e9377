// The token exchange's answer (TokenExchangeGrantResponse): its own module, so the login path
// loads this schema and not every other one.
import * as v from 'valibot';
import { checker, object } from './check.js';

export const tokenGrant = checker(
  object({
    access_token: v.pipe(v.string(), v.minLength(1, 'a token')),
    // Not checked here: a token with an odd lifetime is still a token; token-session warns and assumes a sane one.
    expires_in: v.optional(v.unknown()),
    issued_token_type: v.string(),
    scope: v.string(),
    token_type: v.string(),
    refresh_token: v.optional(v.string()),
  }),
);
