import { vendorWebhooks } from '../../webhook-data';
import { WebhookEndpoints } from '../webhooks';

/** The vendor's own webhook endpoints: they hear the events of every customer account. */
export function VendorWebhooks() {
  return (
    <section>
      <WebhookEndpoints webhooks={vendorWebhooks} intro="Endpoints of the vendor hear the events you choose from every customer account (each names its account), signed by the Standard Webhooks convention." />
    </section>
  );
}
