import { forwardPageInfo } from '../../common/page-info';
import type { PromotionalGrantEntity } from '../entities/promotional-grant.entity';
import { expiredRemainder, grantStatus, spendableRemainder } from '../grant-status';
import type { PromotionalGrantsPage } from '../promotional-grants.service';
import type { PromotionalGrant } from './grant.type';
import type { PromotionalGrantConnection } from './promotional-grants.type';

export function toPromotionalGrant(grant: PromotionalGrantEntity, now: Date): PromotionalGrant {
  return {
    id: String(grant.id),
    accountId: grant.accountId,
    amount: grant.amountMicros,
    remaining: spendableRemainder(grant, now),
    expiredAmount: expiredRemainder(grant, now),
    voidedAmount: grant.voidedMicros,
    status: grantStatus(grant, now),
    expiresAt: grant.expiresAt,
    reason: grant.reason,
    createdAt: grant.createdAt,
    grantedAt: grant.createdAt,
  };
}

export function toPromotionalGrantConnection(page: PromotionalGrantsPage, after: string | null | undefined): PromotionalGrantConnection {
  const edges = page.grants.map((grant, index) => ({ cursor: page.cursors[index], node: toPromotionalGrant(grant, page.readAt) }));
  return { edges, pageInfo: forwardPageInfo(edges, page.hasNextPage, after) };
}
