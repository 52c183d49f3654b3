/**
 * The emails Keyline sends, as plain text. Each template is a function of its data so the text
 * is decided when the change happens and stored in the outbox as sent.
 */
export interface RenderedEmail {
  template: string;
  subject: string;
  text: string;
}

export const INVITATION_LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
export type InvitationLanguage = (typeof INVITATION_LANGUAGES)[number];

const signature = '\n\n-- \nKeyline My Account';

export function verifyEmail(d: { firstName: string; link: string }): RenderedEmail {
  return {
    template: 'verify_email',
    subject: 'Confirm your email address',
    text: `Hello ${d.firstName},\n\nconfirm your email address for Keyline My Account by opening this link:\n\n${d.link}\n\nThe link is valid for 48 hours.${signature}`,
  };
}

export function passwordReset(d: { firstName: string; link: string; minutes: number }): RenderedEmail {
  return {
    template: 'password_reset',
    subject: 'Reset your password',
    text: `Hello ${d.firstName},\n\nsomeone asked to reset the password of your Keyline account. To choose a new password, open:\n\n${d.link}\n\nThe link works once and expires in ${d.minutes} minutes. If you did not ask for this, ignore this email.${signature}`,
  };
}

export function passwordChanged(d: { firstName: string }): RenderedEmail {
  return {
    template: 'password_changed',
    subject: 'Your password was changed',
    text: `Hello ${d.firstName},\n\nthe password of your Keyline account was just changed and your other sessions were signed out. If this was not you, reset your password now.${signature}`,
  };
}

const invitationText: Record<InvitationLanguage, (d: { inviter: string; account: string; link: string; expires: string }) => { subject: string; text: string }> = {
  en: (d) => ({
    subject: `${d.inviter} invited you to join ${d.account}`,
    text: `${d.inviter} invited you to join the business account "${d.account}" in Keyline My Account.\n\nAccept the invitation:\n\n${d.link}\n\nThe invitation expires on ${d.expires}.`,
  }),
  de: (d) => ({
    subject: `${d.inviter} hat Sie zu ${d.account} eingeladen`,
    text: `${d.inviter} hat Sie eingeladen, dem Geschäftskonto "${d.account}" in Keyline My Account beizutreten.\n\nEinladung annehmen:\n\n${d.link}\n\nDie Einladung läuft am ${d.expires} ab.`,
  }),
  fr: (d) => ({
    subject: `${d.inviter} vous invite à rejoindre ${d.account}`,
    text: `${d.inviter} vous invite à rejoindre le compte professionnel « ${d.account} » dans Keyline My Account.\n\nAccepter l'invitation :\n\n${d.link}\n\nL'invitation expire le ${d.expires}.`,
  }),
  es: (d) => ({
    subject: `${d.inviter} le invita a unirse a ${d.account}`,
    text: `${d.inviter} le ha invitado a unirse a la cuenta de empresa "${d.account}" en Keyline My Account.\n\nAceptar la invitación:\n\n${d.link}\n\nLa invitación caduca el ${d.expires}.`,
  }),
};

export function memberInvitation(d: {
  language: InvitationLanguage;
  inviter: string;
  account: string;
  link: string;
  expiresAt: Date;
}): RenderedEmail {
  const expires = d.expiresAt.toISOString().slice(0, 10);
  const { subject, text } = invitationText[d.language]({ ...d, expires });
  return { template: 'member_invitation', subject, text: text + signature };
}

export function memberBlocked(d: { firstName: string; account: string }): RenderedEmail {
  return {
    template: 'member_blocked',
    subject: `Your access to ${d.account} was blocked`,
    text: `Hello ${d.firstName},\n\nan administrator of the business account "${d.account}" blocked your access to it. Your membership is kept; contact the account's administrators to have it unblocked.${signature}`,
  };
}

export function memberUnblocked(d: { firstName: string; account: string }): RenderedEmail {
  return {
    template: 'member_unblocked',
    subject: `Your access to ${d.account} was restored`,
    text: `Hello ${d.firstName},\n\nan administrator of the business account "${d.account}" restored your access to it.${signature}`,
  };
}

export function memberRemoved(d: { firstName: string; account: string }): RenderedEmail {
  return {
    template: 'member_removed',
    subject: `You were removed from ${d.account}`,
    text: `Hello ${d.firstName},\n\nan administrator removed you from the business account "${d.account}". You no longer have access to it.${signature}`,
  };
}

export function licenseKeyIssued(d: { subscriptionName: string; key: string; expiresAt: Date; link: string }): RenderedEmail {
  return {
    template: 'license_key_issued',
    subject: `Your license key: ${d.subscriptionName}`,
    text: `Thank you for your order.\n\nSubscription: ${d.subscriptionName}\nLicense key: ${d.key}\nValid until: ${d.expiresAt.toISOString().slice(0, 10)}\n\nRegister the key in My Account to manage your licenses and installations:\n\n${d.link}${signature}`,
  };
}

export function trialKeyIssued(d: { subscriptionName: string; key: string; expiresAt: Date; link: string }): RenderedEmail {
  return {
    template: 'trial_key_issued',
    subject: `Your trial license key: ${d.subscriptionName}`,
    text: `Here is your trial license.\n\nSubscription: ${d.subscriptionName}\nLicense key: ${d.key}\nTrial ends: ${d.expiresAt.toISOString().slice(0, 10)}\n\nRegister the key in My Account to manage your licenses and installations:\n\n${d.link}${signature}`,
  };
}

/** An Enterprise trial beside a subscription: it belongs to the account at once, so there is no key to register. */
export function editionTrialStarted(d: { subscriptionName: string; key: string; expiresAt: Date; link: string }): RenderedEmail {
  return {
    template: 'edition_trial_started',
    subject: `Your trial has started: ${d.subscriptionName}`,
    text: `Your trial is ready, beside your current subscription, which stays as it is.\n\nSubscription: ${d.subscriptionName}\nLicense key: ${d.key}\nTrial ends: ${d.expiresAt.toISOString().slice(0, 10)}\n\nIt is in your business account already; see it and its keys in My Account:\n\n${d.link}${signature}`,
  };
}

export function usageOverLimit(d: {
  firstName: string;
  account: string;
  product: string;
  installation: string;
  peak: number;
  seats: number;
  graceDays: number | null;
  link: string;
}): RenderedEmail {
  const consequence =
    d.graceDays === null
      ? 'It keeps running, with a warning, until you buy more licenses or usage comes back within the limit.'
      : `It may stay over the limit for ${d.graceDays} day(s) of overuse grace; after that it stops whenever usage is over the limit. Buy more licenses to keep it running.`;
  return {
    template: 'usage_over_limit',
    subject: `${d.product}: usage is over the licensed limit`,
    text: `Hello ${d.firstName},\n\n"${d.installation}" of the business account "${d.account}" reported a peak usage of ${d.peak} while its license has ${d.seats} seat(s).\n\n${consequence}\n\nManage your licenses:\n\n${d.link}${signature}`,
  };
}

export function webhookEndpointDisabled(d: { firstName: string; owner: string; url: string; failures: number; failingSince: Date; link: string }): RenderedEmail {
  return {
    template: 'webhook_endpoint_disabled',
    subject: `A webhook endpoint of ${d.owner} was disabled`,
    text: `Hello ${d.firstName},\n\nthe webhook endpoint ${d.url} of ${d.owner} failed every delivery since ${d.failingSince.toISOString().slice(0, 16).replace('T', ' ')} UTC (${d.failures} attempts in a row), so it was disabled and receives nothing now. Its delivery log says what went wrong; once the receiver works again, enable the endpoint and redeliver what it missed:\n\n${d.link}${signature}`,
  };
}

export function subscriptionExpiring(d: { firstName: string | null; subscription: string; expiresAt: Date; daysLeft: number; autoRenew: boolean; link: string }): RenderedEmail {
  const date = d.expiresAt.toISOString().slice(0, 10);
  const next = d.autoRenew
    ? 'It renews automatically; nothing needs to be done unless you want to change it.'
    : 'Renew it to keep your installations licensed.';
  return {
    template: 'subscription_expiring',
    subject: `${d.subscription} expires in ${d.daysLeft} day(s)`,
    text: `Hello${d.firstName ? ` ${d.firstName}` : ''},\n\nthe subscription "${d.subscription}" expires on ${date} (in ${d.daysLeft} day(s)). ${next}\n\n${d.link}${signature}`,
  };
}

type InstallInvitationData = { inviter: string; account: string; downloads: string; code: string; expires: string };

const installInvitationText: Record<InvitationLanguage, (d: InstallInvitationData) => { subject: string; text: string }> = {
  en: (d) => ({
    subject: `${d.inviter} invited you to install software from ${d.account}`,
    text: `${d.inviter} of "${d.account}" invited you to install:\n\n${d.downloads}\n\n1. Download the installer from the link above and run it.\n2. The product activates by itself with your personal activation code. If it asks for a code, enter:\n\n   ${d.code}\n\nThe code works on one computer, once, until ${d.expires}. It is not a license key; keep it to yourself.`,
  }),
  de: (d) => ({
    subject: `${d.inviter} hat Sie eingeladen, Software von ${d.account} zu installieren`,
    text: `${d.inviter} von "${d.account}" hat Sie eingeladen, Folgendes zu installieren:\n\n${d.downloads}\n\n1. Laden Sie das Installationsprogramm über den Link oben herunter und führen Sie es aus.\n2. Das Produkt aktiviert sich selbst mit Ihrem persönlichen Aktivierungscode. Falls es nach einem Code fragt, geben Sie ein:\n\n   ${d.code}\n\nDer Code gilt für einen Computer, einmal, bis zum ${d.expires}. Er ist kein Lizenzschlüssel; geben Sie ihn nicht weiter.`,
  }),
  fr: (d) => ({
    subject: `${d.inviter} vous invite à installer un logiciel de ${d.account}`,
    text: `${d.inviter} de « ${d.account} » vous invite à installer :\n\n${d.downloads}\n\n1. Téléchargez le programme d'installation depuis le lien ci-dessus et lancez-le.\n2. Le produit s'active seul avec votre code d'activation personnel. S'il demande un code, saisissez :\n\n   ${d.code}\n\nLe code fonctionne sur un ordinateur, une fois, jusqu'au ${d.expires}. Ce n'est pas une clé de licence ; ne le partagez pas.`,
  }),
  es: (d) => ({
    subject: `${d.inviter} le invita a instalar software de ${d.account}`,
    text: `${d.inviter} de "${d.account}" le invita a instalar:\n\n${d.downloads}\n\n1. Descargue el instalador desde el enlace de arriba y ejecútelo.\n2. El producto se activa solo con su código de activación personal. Si le pide un código, introduzca:\n\n   ${d.code}\n\nEl código sirve para un ordenador, una vez, hasta el ${d.expires}. No es una clave de licencia; no lo comparta.`,
  }),
};

/** An invitation to install: the download link of each product the key covers and the person's own activation code. */
export function installInvitation(d: {
  language: InvitationLanguage;
  inviter: string;
  account: string;
  downloads: { product: string; link: string }[];
  code: string;
  expiresAt: Date;
}): RenderedEmail {
  const downloads = d.downloads.map((p) => `${p.product}:\n${p.link}`).join('\n\n');
  const { subject, text } = installInvitationText[d.language]({ ...d, downloads, expires: d.expiresAt.toISOString().slice(0, 10) });
  return { template: 'install_invitation', subject, text: text + signature };
}
