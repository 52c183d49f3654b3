import Bowser from 'bowser';

// Systems whose user agents froze their version (every Mac says 10.15.7, Windows 11 says NT 10.0):
// their version would mislead, so only their name is told.
const FROZEN_VERSIONS = new Set(['macOS', 'Windows']);

const major = (version: string | undefined) => version?.match(/^\d+/)?.[0];

/**
 * A session's browser and system as a person names them, from its user agent: "Firefox 125 on
 * Windows", "Safari 17 on iOS 17"; null when the user agent names neither (a script's, or none).
 */
export function describeUserAgent(userAgent: string | null): string | null {
  if (!userAgent?.trim()) return null;
  const { browser, os } = Bowser.parse(userAgent);
  const browserName = browser.name ? [browser.name, major(browser.version)].filter(Boolean).join(' ') : null;
  const systemName = os.name ? [os.name, FROZEN_VERSIONS.has(os.name) ? undefined : major(os.version)].filter(Boolean).join(' ') : null;
  if (browserName && systemName) return `${browserName} on ${systemName}`;
  if (systemName) return `A browser on ${systemName}`;
  return browserName;
}
