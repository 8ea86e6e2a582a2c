import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { BillingEntityType } from '../account.enums';

@ObjectType({ description: 'Invoicing and tax details; required before buying credits.' })
export class BillingInfo {
  @Field(() => ID)
  accountId!: string;

  @Field(() => BillingEntityType)
  entityType!: BillingEntityType;

  @Field()
  legalName!: string;

  @Field(() => String, { nullable: true, description: 'The tax code; null for a private individual who gave none.' })
  taxCode!: string | null;

  @Field()
  addressLine1!: string;

  @Field(() => String, { nullable: true })
  addressLine2!: string | null;

  @Field()
  city!: string;

  @Field(() => String, { nullable: true })
  postalCode!: string | null;

  @Field()
  country!: string;

  @Field()
  invoiceEmail!: string;

  @Field()
  updatedAt!: Date;
}

@InputType()
export class BillingInfoInput {
  @Field(() => BillingEntityType)
  entityType!: BillingEntityType;

  @Field({ description: '2 to 200 characters.' })
  legalName!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Required for a COMPANY, optional for an INDIVIDUAL (absent, null or empty for none). For VN: 10 digits, or 10 digits + "-" + 3 digits for a branch; elsewhere 4 to 32 letters, digits, spaces, ".", "/" and "-", starting with a letter or digit.',
  })
  taxCode?: string | null;

  @Field()
  addressLine1!: string;

  @Field(() => String, { nullable: true })
  addressLine2?: string | null;

  @Field()
  city!: string;

  @Field(() => String, { nullable: true })
  postalCode?: string | null;

  @Field({ description: 'Two-letter country code.' })
  country!: string;

  @Field()
  invoiceEmail!: string;
}
