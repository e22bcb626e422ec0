import { z } from 'zod';

/** What a metadata value is, said in the message when one is not a string, number, boolean or null. */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return 'a number that is not finite';
  return typeof value === 'object' ? 'an object' : typeof value === 'undefined' ? 'missing' : `a ${typeof value}`;
}

/**
 * One metadata value: flat, so a CRM's extra data stays a simple key-value list in storage and logs. The
 * default union message (`Invalid input`) said nothing of what is allowed; this one names the key and its kind.
 */
const MetadataValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: (issue) => {
    const key = issue.path?.at(-1);
    return `metadata values must be a string, number, boolean or null; ${key === undefined ? 'this one' : `metadata.${String(key)}`} is ${kindOf(issue.input)}`;
  },
});

/** The most attachment names an email has, and the most characters of one (a file system's limit). */
export const MAX_ATTACHMENT_NAMES = 100;
export const MAX_ATTACHMENT_NAME_CHARS = 255;

/** The most characters an email id has (a CRM's id, a Message-ID): the same for classify and feedback. */
export const MAX_EMAIL_ID_CHARS = 200;

/**
 * One customer email as the CRM sends it. Either `body` (plain text) or `html` should be present;
 * a raw RFC 822 message is parsed into this shape by `parseEml`.
 */
export const EmailSchema = z.object({
  id: z.string().min(1).max(MAX_EMAIL_ID_CHARS).optional(),
  subject: z.string().max(2_000).optional(),
  body: z.string().optional(),
  html: z.string().optional(),
  from: z.string().max(500).optional(),
  /** The custodian bank (Depotbank) the customer's account sits with, if the CRM knows it. */
  bank: z.string().max(200).optional(),
  receivedAt: z.string().datetime({ offset: true }).optional(),
  /**
   * The message's Auto-Submitted header (RFC 3834: `auto-replied`, `auto-generated`, `no`), if the CRM has it;
   * `parseEml` reads it. `auto-replied` marks the email automated (`automatedKind`): routed as such, not to a queue.
   */
  autoSubmitted: z.string().max(1_000).optional(),
  /**
   * The file names of the email's attachments, if the CRM has them (`parseEml` lists them). A model whose training
   * config read them (`columns.attachmentNames`) reads their words (`attachmentWords`); no file is ever read.
   */
  attachmentNames: z.array(z.string().max(MAX_ATTACHMENT_NAME_CHARS)).max(MAX_ATTACHMENT_NAMES).optional(),
  metadata: z.record(z.string(), MetadataValueSchema).optional(),
});
export type Email = z.infer<typeof EmailSchema>;
