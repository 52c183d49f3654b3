/**
 * Where a product's customers ask for help until the support desk exists: a web page or an email
 * address. The portal turns it into a link, so only schemes that cannot run script are taken
 * (never `javascript:` or `data:`). Pure, with no imports, so the back office's form checks the
 * same rule as the server while the operator types.
 */
export const SUPPORT_URL_MAX_LENGTH = 500;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What is wrong with a support address, as "… must …", or null when it is fine. */
export function supportUrlProblem(text: string): string | null {
  if (text.length > SUPPORT_URL_MAX_LENGTH) return `must be at most ${SUPPORT_URL_MAX_LENGTH} characters`;
  if (/\s/.test(text)) return 'must not contain spaces';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be a full address such as https://support.example.com or mailto:help@example.com';
  }
  if (url.protocol === 'https:' || url.protocol === 'http:') return url.hostname === '' ? 'must name a host' : null;
  if (url.protocol === 'mailto:') return EMAIL.test(url.pathname) ? null : 'must name an email address after mailto:';
  return 'must start with https://, http:// or mailto:';
}
