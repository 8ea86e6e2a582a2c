import { isAdmin, type Principal } from '../auth/principal';
import { CreditMovementType } from '../ledger/ledger.enums';

/**
 * The customer's side of a partner's postings (a transfer in, a reclaim out): their ledger reference
 * holds the partner's own idempotency key (`transfer:<key>`, `reclaim:<key>`), which is the
 * partner's bookkeeping, not the customer's.
 */
const PARTNER_POSTINGS_ON_THE_CUSTOMER = new Set<CreditMovementType>([CreditMovementType.TRANSFER_IN, CreditMovementType.RECLAIM_OUT]);

/**
 * A movement's reference as `viewer` may see it: the partner's references only to the partner (the
 * movement's counterparty) and the platform admin; null to everyone else, the customer included.
 * Every route that shows a reference (GraphQL, the history CSV) goes through here.
 */
export function visibleReference(
  movement: { type: CreditMovementType; reference: string | null; counterpartyAccountId: string | null },
  viewer: Principal | null,
): string | null {
  if (!PARTNER_POSTINGS_ON_THE_CUSTOMER.has(movement.type)) return movement.reference;
  if (viewer && (isAdmin(viewer) || (viewer.accountId !== null && viewer.accountId === movement.counterpartyAccountId))) return movement.reference;
  return null;
}
