import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AccessPolicy } from '../auth/access-policy';
import { Balances } from '../balances/dtos/balances.type';
import { CreditHistoryPageArgs, CreditMovementConnection } from '../balances/history/dtos/credit-movement.type';
import { toBalances } from '../balances/dtos/mappers';
import { toCreditMovementConnection } from '../balances/history/dtos/mappers';
import { actorOf } from '../audit/actor';
import { Access, argument, argumentOrOwnAccount, checkedAccount } from '../graphql/access';
import type { GraphQLContext } from '../graphql/context';
import type { CreditHistoryService } from '../balances/history/credit-history.service';
import { AccountStatus } from './account.enums';
import type { AccountsService } from './accounts.service';
import { Account } from './dtos/account.type';
import { BillingInfo, BillingInfoInput } from './dtos/billing-info.type';
import { CreateAccountInput } from './dtos/create-account.input';
import type { AccountEntity } from './entities/account.entity';
import { Viewer } from './dtos/viewer.type';

/** What the accounts resolvers use. */
export interface AccountsResolverServices {
  accounts: Pick<AccountsService, 'createAccount' | 'setStatus' | 'updateBillingInfo'>;
  creditHistory: Pick<CreditHistoryService, 'page'>;
}

type Context = GraphQLContext<AccountsResolverServices>;

@Resolver(() => Account)
export class AccountsResolver {
  @Authorized(Access.AUTHENTICATED)
  @Query(() => Viewer, { description: 'The caller and, for a user, its account.' })
  async me(@Ctx() context: Context): Promise<Viewer> {
    const principal = context.principal!;
    const account = principal.accountId ? await context.loaders.account.load(principal.accountId) : null;
    return { subject: principal.subject, role: principal.role, scopes: principal.scopes, account };
  }

  @Authorized(Access.readAccount(argument('id')))
  @Query(() => Account, { description: 'One account you may see: your own, or (for a partner) one of its customers.' })
  async account(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<AccountEntity> {
    return checkedAccount(context, id);
  }

  @Authorized(Access.ADMIN)
  @Mutation(() => Account, { description: 'Platform admin: create a customer or partner account (PENDING unless a status is given).' })
  async createAccount(@Arg('input') input: CreateAccountInput, @Ctx() context: Context): Promise<AccountEntity> {
    return context.services.accounts.createAccount(
      {
        id: input.id ?? undefined,
        kind: input.kind,
        name: input.name,
        region: input.region,
        partnerId: input.partnerId ?? null,
        status: input.status ?? undefined,
      },
      actorOf(context),
    );
  }

  @Authorized(Access.ADMIN)
  @Mutation(() => Account, { description: 'Platform admin: activate, suspend or close an account. CLOSED is final.' })
  async setAccountStatus(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('status', () => AccountStatus) status: AccountStatus,
    @Ctx() context: Context,
  ): Promise<AccountEntity> {
    return context.services.accounts.setStatus(accountId, status, actorOf(context));
  }

  @Authorized(Access.manageOwnBilling(argumentOrOwnAccount((args) => args.accountId)))
  @Mutation(() => BillingInfo, { description: 'OWNER or BILLING_ADMIN: create or replace the billing information of your account.' })
  async updateBillingInfo(
    @Arg('input') input: BillingInfoInput,
    @Ctx() context: Context,
    @Arg('accountId', () => ID, { nullable: true, description: 'Defaults to your own account.' }) accountId?: string,
  ): Promise<BillingInfo> {
    return context.services.accounts.updateBillingInfo(accountId ?? context.principal!.accountId!, input, actorOf(context));
  }

  @FieldResolver(() => Balances)
  async balances(@Root() account: AccountEntity, @Ctx() context: Context): Promise<Balances> {
    return toBalances(await context.loaders.balances.load(account.id));
  }

  @Authorized(Access.READ_BILLING_OF_ROOT)
  @FieldResolver(() => BillingInfo, {
    nullable: true,
    description: 'Null until billing information is given. OWNER and BILLING_ADMIN only (FORBIDDEN for a VIEWER).',
  })
  async billingInfo(@Root() account: AccountEntity, @Ctx() context: Context): Promise<BillingInfo | null> {
    return context.loaders.billingInfo.load(account.id);
  }

  @FieldResolver(() => Account, { nullable: true, description: 'The managing partner (visible to the platform admin and the partner).' })
  async partner(@Root() account: AccountEntity, @Ctx() context: Context): Promise<AccountEntity | null> {
    if (!account.partnerId) return null;
    const partner = await context.loaders.account.load(account.partnerId);
    if (!partner) return null;
    return AccessPolicy.canSeePartner(context.principal, partner.id) ? partner : null;
  }

  @FieldResolver(() => CreditMovementConnection)
  async creditHistory(@Root() account: AccountEntity, @Args() args: CreditHistoryPageArgs, @Ctx() context: Context): Promise<CreditMovementConnection> {
    const page = await context.services.creditHistory.page(account.id, args.filter ?? {}, args.first, args.after, { last: args.last, before: args.before });
    return toCreditMovementConnection(page);
  }
}
