/**
 * The few pages of a sign-in with the company account that a person sees outside the portal:
 * entering a device's code, and what came of it. Plain HTML with no script, so they work in any
 * browser, under the server's content security policy, on a phone beside a machine with no
 * browser at all.
 */

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Keyline</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

/** Where the person types the code their machine shows; with the code already in the link, they confirm it. */
export function deviceCodePage(userCode: string | null, problem: string | null = null): string {
  const error = problem ? `<p role="alert">${escapeHtml(problem)}</p>` : '';
  if (userCode) {
    const start = `/sso/device/start?user_code=${encodeURIComponent(userCode)}`;
    return page(
      'Activate with your company account',
      `${error}<p>Check that your machine shows this code:</p><p><strong id="user-code">${escapeHtml(userCode)}</strong></p>
<p><a id="continue" href="${escapeHtml(start)}">Continue to your company's sign-in</a></p>
<p><a href="/sso/device">That is not the code my machine shows</a></p>`,
    );
  }
  return page(
    'Activate with your company account',
    `${error}<form method="get" action="/sso/device">
<label for="user_code">Enter the code your machine shows</label>
<input id="user_code" name="user_code" autocomplete="off" autocapitalize="characters" spellcheck="false" required maxlength="20">
<button type="submit">Next</button>
</form>`,
  );
}

export function signInResultPage(title: string, lines: string[], link?: { href: string; text: string }): string {
  const paragraphs = lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n');
  return page(title, `${paragraphs}${link ? `\n<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : ''}`);
}
