import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { CreditMovement } from '../balances/history/dtos/credit-movement.type';
import { toCharge } from '../payments/top-ups/dtos/mappers';
import type { GraphQLContext } from '../graphql/context';
import {
  CreditMovementSource,
  PromotionalGrantSource,
  ReclaimSource,
  TopUpSource,
  TransferParty,
  TransferSource,
  UsageSource,
} from './dtos/movement-source.type';
import type { MovementSourceRow } from './movement-sources.service';
import type { CreditCorrection } from '../corrections/dtos/correction.type';
import { toCreditCorrection } from '../corrections/dtos/mappers';
import type { PartnerCustomerRecord } from '../partners/transfers/entities/partner-customer-record';
import { visibleReference } from './tenant-visibility';

type Source = TopUpSource | TransferSource | ReclaimSource | UsageSource | PromotionalGrantSource | CreditCorrection;

/**
 * `CreditMovement.source`: the business row behind a history row, through the per-request
 * `movementSource` loader (one lookup per kind for the whole page) and, for a transfer's two sides,
 * the `account` loader.
 */
@Resolver(() => CreditMovement)
export class MovementSourcesResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The ledger's reference text: `topup:<top-up id>` (top-ups, their reversals and disputes won), `transfer:<the partner's idempotency key>` and `reclaim:<key>` " +
      '(shown to the partner and the platform admin only; null for the customer), the usage event id, `grant:<the grant idempotency key>` (grants) or ' +
      '`grant:<grant id>` (expiry); other text for demo and back-filled rows.',
    deprecationReason:
      'Its text differs per movement type and names keys, not ids; read `source` instead (the top-up, transfer, usage event or grant as typed data).',
  })
  reference(@Root() movement: CreditMovement, @Ctx() context: GraphQLContext): string | null {
    return visibleReference(
      { type: movement.type, reference: movement.ledgerReference, counterpartyAccountId: movement.counterpartyAccountId },
      context.principal,
    );
  }

  @FieldResolver(() => CreditMovementSource, {
    nullable: true,
    description:
      'What the movement came from, as typed data: the top-up (also for its reversal, refund and a dispute won), the transfer, the reclaim, the usage event, the grant (also for its expiry), ' +
      "or the platform admin's correction with its reason (an ADJUSTMENT, a PROMOTIONAL_VOID). " +
      'Null for movements recorded without one (the demo data).',
  })
  async source(@Root() movement: CreditMovement, @Ctx() context: GraphQLContext): Promise<Source | null> {
    const row = await context.loaders.movementSource.load({
      accountId: movement.accountId,
      transactionId: movement.transactionId,
      type: movement.type,
      reference: movement.ledgerReference,
    });
    return row && toSource(row, movement.accountId, context);
  }
}

async function toSource(row: MovementSourceRow, accountId: string, context: GraphQLContext): Promise<Source> {
  switch (row.kind) {
    case 'TOP_UP': {
      const { topUp } = row;
      return Object.assign(new TopUpSource(), {
        topUpId: topUp.id,
        method: topUp.method,
        status: topUp.status,
        amount: topUp.amountMicros,
        charge: toCharge(topUp.chargeMinor, topUp.currency, topUp.creditPrice),
        reversedAmount: topUp.reversedMicros,
        refundedAmount: topUp.refundedMicros,
      });
    }
    case 'TRANSFER':
      return Object.assign(new TransferSource(), { transferId: String(row.transfer.id), ...(await partnerCustomerFields(row.transfer, accountId, context)) });
    case 'RECLAIM':
      return Object.assign(new ReclaimSource(), { reclaimId: String(row.reclaim.id), ...(await partnerCustomerFields(row.reclaim, accountId, context)) });
    case 'USAGE': {
      const { usage } = row;
      return Object.assign(new UsageSource(), {
        eventId: usage.eventId,
        service: usage.service,
        occurredAt: usage.occurredAt,
        amount: usage.amountMicros,
        promotionalAmount: usage.promotionalMicros,
        topUpAmount: usage.topUpMicros,
      });
    }
    case 'GRANT': {
      const { grant } = row;
      return Object.assign(new PromotionalGrantSource(), {
        grantId: String(grant.id),
        reason: grant.reason,
        amount: grant.amountMicros,
        expiresAt: grant.expiresAt,
      });
    }
    case 'CORRECTION':
      return toCreditCorrection(row.correction);
  }
}

/** The fields a transfer's and a reclaim's source share; the two sides' names through the `account` loader. */
async function partnerCustomerFields(record: PartnerCustomerRecord, accountId: string, context: GraphQLContext) {
  const [partner, customer] = await context.loaders.account.loadMany([record.partnerAccountId, record.customerAccountId]);
  const party = (id: string, account: typeof partner): TransferParty => ({ accountId: id, name: account && !(account instanceof Error) ? account.name : '' });
  // The partner's staff are the partner's business: the customer's row names the partner only.
  const showActor = accountId === record.partnerAccountId && record.actorUserId !== null;
  return {
    note: record.note,
    amount: record.amountMicros,
    partner: party(record.partnerAccountId, partner),
    customer: party(record.customerAccountId, customer),
    actor: showActor ? { userId: record.actorUserId!, role: record.actorRole } : null,
    createdAt: record.createdAt,
  };
}
