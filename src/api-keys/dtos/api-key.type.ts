import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ApiKeyScope } from '../../auth/dtos/role.type';

@ObjectType({ description: 'An API key of an account, as listed: never the key itself, which is shown once (createApiKey, rollApiKey).' })
export class ApiKey {
  @Field(() => ID, { description: 'The key id, embedded in the key after its prefix; recorded as the actor (`apikey:<id>`) of what the key does.' })
  id!: string;

  @Field(() => ID, { description: 'The account the key acts for.' })
  accountId!: string;

  @Field({ description: 'Its name, chosen by its creator; shown as the actor in history and reports.' })
  name!: string;

  @Field({ description: 'The first characters of the key (`ck_live_` or `ck_test_` and the key id), to recognise it; they prove nothing.' })
  prefix!: string;

  @Field(() => [ApiKeyScope], { description: 'What the key may do.' })
  scopes!: ApiKeyScope[];

  @Field({ description: 'The `sub` of the OWNER who created it.' })
  createdBy!: string;

  @Field({ description: 'When it was created.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was last used, to the minute (it is recorded at most once a minute); null if never.' })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it stops working by itself; null for never.' })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was revoked; null while it is not.' })
  revokedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'The `sub` of whoever revoked it.' })
  revokedBy!: string | null;

  @Field(() => Date, { nullable: true, description: 'After a roll: until when the previous secret still works; null when it does not.' })
  previousSecretExpiresAt!: Date | null;
}

@ObjectType({ description: 'An API key with its secret: answered once, by createApiKey and rollApiKey. Store the secret now; it is never shown again.' })
export class ApiKeyWithSecret {
  @Field(() => ApiKey, { description: 'The key as `apiKeys` lists it.' })
  apiKey!: ApiKey;

  @Field({ description: 'The key itself, to send as `Authorization: Bearer <secret>`.' })
  secret!: string;
}

@InputType({ description: 'A new API key.' })
export class CreateApiKeyInput {
  @Field(() => ID, { description: 'The account it acts for; the caller must be its OWNER.' })
  accountId!: string;

  @Field({ description: 'A name to tell it apart (1 to 100 characters), e.g. "nightly transfers".' })
  name!: string;

  @Field(() => [ApiKeyScope], { description: 'What it may do; at least one.' })
  scopes!: ApiKeyScope[];

  @Field(() => Date, { nullable: true, description: 'When it stops working by itself (in the future); null or absent for never.' })
  expiresAt?: Date | null;
}

@InputType({ description: 'A new secret for an existing key.' })
export class RollApiKeyInput {
  @Field(() => ID, { description: 'The key to roll.' })
  id!: string;

  @Field(() => Int, {
    defaultValue: 0,
    description: 'Seconds (0 to 604800) the old secret keeps working beside the new one, to redeploy scripts without an outage; 0 stops it at once.',
  })
  overlapSeconds!: number;
}

@ObjectType({ description: 'The API key that acted: its id and name.', simpleResolvers: true })
export class ApiKeyActor {
  @Field(() => ID, { description: 'The key id.' })
  id!: string;

  @Field({ description: "The key's name." })
  name!: string;
}
