import { Field, ObjectType } from 'type-graphql';
import { Role } from '../../../auth/dtos/role.type';

@ObjectType({ description: 'The partner user who made a transfer.', simpleResolvers: true })
export class TransferActor {
  @Field({ description: "The user's id (the token's `sub`)." })
  userId!: string;

  @Field(() => Role, { nullable: true, description: 'Its role in the partner account when it made the transfer.' })
  role!: Role | null;
}
