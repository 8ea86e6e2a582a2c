import { useQuery } from 'urql';
import { PartnerReportCustomersDocument } from '../../gql/graphql';

/** The partner's customers as the options of a select (the reports' customer, the webhooks' account), by name; the first 100. */
export function CustomerOptions() {
  const [{ data }] = useQuery({ query: PartnerReportCustomersDocument });
  return (
    <>
      {data?.partnerCustomers.edges.map(({ node }) => (
        <option key={node.id} value={node.id}>
          {node.name}
        </option>
      ))}
    </>
  );
}
