import { z } from 'zod';

/**
 * One customer email as the CRM sends it. Either `body` (plain text) or `html` should be present;
 * a raw RFC 822 message is parsed into this shape by `parseEml`.
 */
export const EmailSchema = z.object({
  id: z.string().min(1).max(200).optional(),
  subject: z.string().max(2_000).optional(),
  body: z.string().optional(),
  html: z.string().optional(),
  from: z.string().max(500).optional(),
  /** The custodian bank (Depotbank) the customer's account sits with, if the CRM knows it. */
  bank: z.string().max(200).optional(),
  receivedAt: z.string().datetime({ offset: true }).optional(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type Email = z.infer<typeof EmailSchema>;
