import { CreditMovementType } from '../ledger.enums';

/**
 * The customer's side of a partner's transfer or reclaim carries the partner's own idempotency key
 * in its ledger reference (`transfer:<key>`, `reclaim:<key>`; batches and auto-transfers use the
 * same keys). That key is the partner's internal data: on those rows the reference is shown to the
 * platform admin and to the partner (the row's counterparty) only, never to the customer.
 */
const CUSTOMER_SIDE_OF_PARTNER_OPERATION = new Set<string>([CreditMovementType.TRANSFER_IN, CreditMovementType.RECLAIM_OUT]);

export interface ReferencedMovement {
  type: string;
  counterpartyAccountId: string | null;
  reference: string | null;
}

/** Who reads: the platform admin, or a user (or service) of `accountId`. */
export interface ReferenceViewer {
  admin: boolean;
  accountId: string | null;
}

/** The movement's reference as `viewer` may see it; null where it is another tenant's internal data. */
export function visibleReference(movement: ReferencedMovement, viewer: ReferenceViewer | null): string | null {
  if (!CUSTOMER_SIDE_OF_PARTNER_OPERATION.has(movement.type)) return movement.reference;
  if (viewer && (viewer.admin || (viewer.accountId !== null && viewer.accountId === movement.counterpartyAccountId))) return movement.reference;
  return null;
}
