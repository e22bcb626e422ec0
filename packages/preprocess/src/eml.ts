import PostalMime from 'postal-mime';
import type { Email } from './email.js';
import { EmlParseError, InputTooLargeError } from './errors.js';
import { DEFAULT_MAX_INPUT_CHARS } from './clean.js';

export interface EmlAttachment {
  filename?: string;
  contentType: string;
  size: number;
}

export type ParsedEml = Email & { attachments: EmlAttachment[] };

function byteSize(content: ArrayBuffer | Uint8Array | string): number {
  if (typeof content === 'string') return content.length;
  return content.byteLength;
}

/**
 * Parses a raw RFC 822 / MIME message (multipart, quoted-printable, base64, ISO-8859-1, Windows-1252 ...)
 * with postal-mime. Attachments are listed by name, type and size, never read.
 */
export async function parseEml(raw: string | Uint8Array, options: { maxInputChars?: number } = {}): Promise<ParsedEml> {
  const limit = options.maxInputChars ?? DEFAULT_MAX_INPUT_CHARS * 4;
  const size = typeof raw === 'string' ? raw.length : raw.byteLength;
  if (size > limit) throw new InputTooLargeError(size, limit);
  let parsed: Awaited<ReturnType<typeof PostalMime.parse>>;
  try {
    parsed = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  } catch (cause) {
    throw new EmlParseError('the message could not be parsed as RFC 822 / MIME', { cause });
  }
  const from = parsed.from;
  const fromText = from ? (from.address ? (from.name ? `${from.name} <${from.address}>` : from.address) : from.name) : undefined;
  let receivedAt: string | undefined;
  if (parsed.date && !Number.isNaN(Date.parse(parsed.date))) receivedAt = new Date(parsed.date).toISOString();
  return {
    subject: parsed.subject?.slice(0, 2_000),
    body: parsed.text,
    html: parsed.html,
    from: fromText?.slice(0, 500),
    receivedAt,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? undefined,
      contentType: a.mimeType,
      size: byteSize(a.content),
    })),
  };
}
