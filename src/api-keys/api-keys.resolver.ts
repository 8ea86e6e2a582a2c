import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { apiKeyIdOfActor } from '../auth/principal';
import { Access, argument, type BelongingOfCall } from '../graphql/access';
import type { GraphQLContext } from '../graphql/context';
import { TransferActor } from '../partners/transfers/dtos/transfer-actor.type';
import type { ApiKeysService } from './api-keys.service';
import { scopesOf } from './api-keys.service';
import { ApiKey, ApiKeyActor, ApiKeyWithSecret, CreateApiKeyInput, RollApiKeyInput } from './dtos/api-key.type';
import type { ApiKeyEntity } from './entities/api-key.entity';
import { actorOf } from '../audit/actor';

/** What the API key resolvers use. */
export interface ApiKeysResolverServices {
  apiKeys: Pick<ApiKeysService, 'create' | 'list' | 'revoke' | 'roll' | 'accountOf' | 'namesByIds'>;
}

type Context = GraphQLContext<ApiKeysResolverServices>;

/** The account of the key an `id` argument names; an unknown key is refused like another account's. */
const keyNamedById: BelongingOfCall = async ({ args, context }) => ({
  what: 'API key',
  accountId: await (context as Context).services.apiKeys.accountOf(String(args.id ?? args.input?.id ?? '')),
});

const OWNER_ONLY = "The account's OWNER only (never a BILLING_ADMIN, its partner, the platform admin or a key)";

@Resolver()
export class ApiKeysResolver {
  @Authorized(Access.accountOwner(argument('accountId')))
  @Query(() => [ApiKey], { description: `${OWNER_ONLY}: the account's API keys, newest first, revoked ones included; never their secrets.` })
  async apiKeys(@Arg('accountId', () => ID, { description: 'The account whose keys to list.' }) accountId: string, @Ctx() context: Context): Promise<ApiKey[]> {
    return (await context.services.apiKeys.list(accountId)).map(toApiKey);
  }

  @Authorized(Access.accountOwner(({ args }) => args.input?.accountId))
  @Mutation(() => ApiKeyWithSecret, {
    description: `${OWNER_ONLY}: a new API key for scripts, acting for the account within its scopes. The secret is answered this once.`,
  })
  async createApiKey(@Arg('input', { description: 'The key to create.' }) input: CreateApiKeyInput, @Ctx() context: Context): Promise<ApiKeyWithSecret> {
    const { apiKey, secret } = await context.services.apiKeys.create(
      {
        accountId: input.accountId,
        name: input.name,
        scopes: input.scopes,
        expiresAt: input.expiresAt ?? null,
        createdBy: context.principal!.subject,
      },
      actorOf(context),
    );
    return { apiKey: toApiKey(apiKey), secret };
  }

  @Authorized(Access.ownBelonging(keyNamedById))
  @Mutation(() => ApiKey, {
    description: `${OWNER_ONLY}: revokes a key. Every process refuses it at once when they share Redis, otherwise within API_KEY_RECHECK_MS (10 seconds by default).`,
  })
  async revokeApiKey(@Arg('id', () => ID, { description: 'The key to revoke.' }) id: string, @Ctx() context: Context): Promise<ApiKey> {
    return toApiKey(await context.services.apiKeys.revoke(id, context.principal!.subject, actorOf(context)));
  }

  @Authorized(Access.ownBelonging(keyNamedById))
  @Mutation(() => ApiKeyWithSecret, {
    description: `${OWNER_ONLY}: a new secret for the same key (same id, name and scopes); the old one works for overlapSeconds more, then never. The new secret is answered this once.`,
  })
  async rollApiKey(@Arg('input', { description: 'The key and the overlap.' }) input: RollApiKeyInput, @Ctx() context: Context): Promise<ApiKeyWithSecret> {
    const { apiKey, secret } = await context.services.apiKeys.roll(input.id, input.overlapSeconds, actorOf(context));
    return { apiKey: toApiKey(apiKey), secret };
  }
}

/** The API key that made a transfer, reclaim or batch row, shown with its name. */
@Resolver(() => TransferActor)
export class TransferActorApiKeyResolver {
  @FieldResolver(() => ApiKeyActor, { nullable: true, description: 'The API key that acted (its id and name); null when a user did.' })
  async apiKey(@Root() actor: TransferActor, @Ctx() context: Context): Promise<ApiKeyActor | null> {
    const keyId = apiKeyIdOfActor(actor.userId);
    if (!keyId) return null;
    const names = await context.services.apiKeys.namesByIds([keyId]);
    return { id: keyId, name: names.get(keyId) ?? '' };
  }
}

export function toApiKey(row: ApiKeyEntity): ApiKey {
  return {
    id: row.id,
    accountId: row.accountId,
    name: row.name,
    prefix: row.visiblePrefix,
    scopes: scopesOf(row),
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    revokedBy: row.revokedBy,
    previousSecretExpiresAt: row.previousSecretExpiresAt && row.previousSecretExpiresAt.getTime() > Date.now() ? row.previousSecretExpiresAt : null,
  };
}
