import { isAdmin, type Principal } from '../auth/principal';
import { ActorKind } from './audit.enums';

/**
 * Who made a change, from where: built once per request from the GraphQL context (`actorOf`) and
 * passed explicitly from resolvers into services, which hand it to `recordAudit`. No ambient state.
 */
export interface Actor {
  kind: ActorKind;
  subject: string;
  role: string | null;
  accountId: string | null;
  /** The API key that acted, when one did. */
  apiKeyId: string | null;
  address: string | null;
  requestId: string | null;
}

/** The part of a GraphQL context (or of any request) an actor is made from. */
export interface ActorSource {
  principal: Principal | null;
  clientIp: string | null;
  requestId: string;
}

/** The actor of a request: the admin, an API key, a user of an account, or a service token. */
export function actorOf(source: ActorSource): Actor {
  const principal = source.principal;
  if (!principal) throw new Error('actorOf needs an authenticated request');
  const apiKeyId = principal.apiKey?.id ?? null;
  const kind = isAdmin(principal) ? ActorKind.ADMIN : apiKeyId !== null ? ActorKind.API_KEY : principal.accountId ? ActorKind.USER : ActorKind.SERVICE;
  return {
    kind,
    subject: principal.subject,
    role: principal.role,
    accountId: principal.accountId,
    apiKeyId,
    address: source.clientIp,
    requestId: source.requestId,
  };
}

/** A change made by the service itself (a provider's webhook, a worker), with no request of a person behind it. */
export function serviceActor(subject: string, requestId: string | null = null): Actor {
  return { kind: ActorKind.SERVICE, subject, role: null, accountId: null, apiKeyId: null, address: null, requestId };
}
