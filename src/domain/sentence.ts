/**
 * Ends a sentence with a period unless its last word already brings one: a name such as
 * "Acme Widgets Inc." or "Wait!" ends the sentence as it is, closing quotes and brackets after
 * the mark included ("Acme Inc.)"), so no sentence reads "Inc..".
 */
export function endSentence(text: string): string {
  const trimmed = text.trimEnd();
  return /[.!?…][)\]"'»”’]*$/u.test(trimmed) ? trimmed : `${trimmed}.`;
}
