import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../../common/credits.scalar';
import { PartnerCustomerInputFields, PartnerCustomerPayloadFields, PartnerCustomerRecordFields } from './partner-customer.type';

@InputType({ description: 'A transfer of credits from your partner account to one of your customers.' })
export class TransferCreditsInput extends PartnerCustomerInputFields {
  @Field(() => ID)
  customerAccountId!: string;

  @Field(() => CreditsScalar, { description: 'More than zero, at most six decimal places.' })
  amount!: bigint;
}

@ObjectType({ description: 'A completed partner → customer transfer.', simpleResolvers: true })
export class CreditTransfer extends PartnerCustomerRecordFields {}

@ObjectType({ simpleResolvers: true })
export class TransferCreditsPayload extends PartnerCustomerPayloadFields {
  @Field(() => CreditTransfer, { nullable: true, description: 'The transfer; null for a dry run.' })
  transfer!: CreditTransfer | null;
}
