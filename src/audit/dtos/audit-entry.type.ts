import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../../common/page-info';
import { ActorKind, AuditAction } from '../audit.enums';

@ObjectType({ description: 'Who made an audited change.', simpleResolvers: true })
export class AuditActor {
  @Field(() => ActorKind, { description: 'Which kind of actor: a user, the admin, a service or an API key.' })
  kind!: ActorKind;

  @Field({ description: "The token's subject: a user id, the admin's id, or a service name." })
  subject!: string;

  @Field(() => String, { nullable: true, description: "The user's role (OWNER, BILLING_ADMIN, VIEWER); null for the admin and services." })
  role!: string | null;

  @Field(() => ID, { nullable: true, description: "The actor's own account (a user's; null for the admin and services)." })
  accountId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The API key that acted, when one did.' })
  apiKeyId!: string | null;
}

@ObjectType({
  description: 'One entry of the audit trail: when, who, from where, what (before and after), why. Entries are never changed.',
  simpleResolvers: true,
})
export class AuditEntry {
  @Field(() => ID, { description: 'The entry id (increasing with time).' })
  id!: string;

  @Field({ description: 'When the change was committed (ISO-8601, UTC).' })
  createdAt!: Date;

  @Field(() => AuditActor, {
    description: "Who made the change. An OWNER reading its own account sees actors from outside it (its partner's staff) by kind only.",
  })
  actor!: AuditActor;

  @Field(() => String, { nullable: true, description: "The caller's IP address (behind TRUST_PROXY_HOPS proxies: from X-Forwarded-For)." })
  address!: string | null;

  @Field(() => String, { nullable: true, description: 'The request id (the X-Request-Id answer header; in the server log).' })
  requestId!: string | null;

  @Field(() => AuditAction, { description: 'What was done.' })
  action!: AuditAction;

  @Field({ description: 'What was changed: ACCOUNT, BILLING_INFO, WEBHOOK_ENDPOINT, ...' })
  targetType!: string;

  @Field(() => ID, { description: 'The id of what was changed (an account id, a rule id, an endpoint id, a key id, ...).' })
  targetId!: string;

  @Field(() => ID, { nullable: true, description: 'The account the change concerns; null for a platform-wide change.' })
  accountId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'JSON of the changed fields before the change (amounts in micro-credits as strings); null when the target did not exist.',
  })
  before!: string | null;

  @Field(() => String, { nullable: true, description: 'JSON of the changed fields after the change; null when the target was removed.' })
  after!: string | null;

  @Field(() => String, { nullable: true, description: 'Why, when the operation takes a reason (a grant, a correction, a refund).' })
  reason!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class AuditEntryEdge {
  @Field()
  cursor!: string;

  @Field(() => AuditEntry)
  node!: AuditEntry;
}

@ObjectType({ description: 'Audit entries, newest first.', simpleResolvers: true })
export class AuditEntryConnection {
  @Field(() => [AuditEntryEdge])
  edges!: AuditEntryEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@InputType({ description: 'Narrows the audit log; every condition given must hold.' })
export class AuditLogFilterInput {
  @Field(() => [AuditAction], { nullable: true, description: 'Only these actions.' })
  actions?: AuditAction[] | null;

  @Field(() => String, { nullable: true, description: "Only changes by this actor (the token's subject)." })
  actor?: string | null;

  @Field({ nullable: true, description: 'Inclusive start of the period.' })
  from?: Date;

  @Field({ nullable: true, description: 'Exclusive end of the period.' })
  to?: Date;
}

@ArgsType()
export class AuditLogArgs {
  @Field(() => ID, {
    nullable: true,
    description: 'The account (the OWNER: defaults to, and must be, its own). The platform admin may leave it out to read every entry.',
  })
  accountId?: string | null;

  @Field(() => AuditLogFilterInput, { nullable: true, description: 'Narrows the entries: by action, actor and period.' })
  filter?: AuditLogFilterInput | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 1 to GRAPHQL_MAX_PAGE_SIZE (default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}
