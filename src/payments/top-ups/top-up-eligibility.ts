import { AccountStatus } from '../../accounts/account.enums';
import { canManageBilling, type Role } from '../../auth/principal';
import { DomainError, ErrorCode } from '../../common/domain-error';

/** Why an account (or the person asking) cannot buy credits now; each code is what `createTopUp` refuses with. */
export interface TopUpBlocker {
  code: ErrorCode.FORBIDDEN | ErrorCode.ACCOUNT_NOT_ACTIVE | ErrorCode.PARTNER_MANAGED_ACCOUNT | ErrorCode.BILLING_INFO_REQUIRED;
  message: string;
}

/** Who would buy: the user's own account and role (null for services and the platform admin). */
export interface Buyer {
  accountId: string | null;
  role: Role | null;
}

export interface EligibilityFacts {
  account: { id: string; status: AccountStatus; partnerId: string | null };
  hasBillingInfo: boolean;
  buyer: Buyer;
}

/**
 * THE rule for buying credits, shared by `createTopUp` (which refuses with the first blocker) and
 * `topUpOptions` (which lists them all), so the pop-up and the mutation cannot disagree. In the
 * order `createTopUp` checks them. Reveals no billing details: only whether they are missing.
 */
export function topUpBlockers(facts: EligibilityFacts): TopUpBlocker[] {
  const { account, buyer } = facts;
  const blockers: TopUpBlocker[] = [];
  if (buyer.accountId !== account.id) {
    blockers.push({ code: ErrorCode.FORBIDDEN, message: 'Only an OWNER or BILLING_ADMIN of the account itself can buy credits for it.' });
  } else if (!canManageBilling(buyer)) {
    blockers.push({ code: ErrorCode.FORBIDDEN, message: 'Only an OWNER or BILLING_ADMIN can buy credits; ask one of them.' });
  }
  if (account.status !== AccountStatus.ACTIVE) {
    blockers.push({ code: ErrorCode.ACCOUNT_NOT_ACTIVE, message: `The account is ${account.status}; only an ACTIVE account can buy credits.` });
  }
  if (account.partnerId !== null) {
    blockers.push({ code: ErrorCode.PARTNER_MANAGED_ACCOUNT, message: 'Your credits are managed by your partner; ask them to transfer credits to you.' });
  }
  if (!facts.hasBillingInfo) {
    blockers.push({ code: ErrorCode.BILLING_INFO_REQUIRED, message: 'Complete your billing information before buying credits.' });
  }
  return blockers;
}

/** Refuses with the first blocker, as a `DomainError` carrying its code. */
export function assertMayTopUp(facts: EligibilityFacts): void {
  const [first] = topUpBlockers(facts);
  if (first) throw new DomainError(first.code, first.message);
}

/**
 * An account that can never pay for credits itself (a partner's customer is topped up by its
 * partner) is offered no payment method and no price. Every other blocker can be lifted (billing
 * information completed, the account activated, an OWNER doing it), so the prices stay visible.
 */
export const neverPays = (account: { partnerId: string | null }) => account.partnerId !== null;
