import type { HangUpScenario } from './hang-up-run.js';

/** The secrets and their usual encodings (as given, base64, `Basic …`/`Bearer …`, URL-encoded), and the first 12 characters of long ones. */
export function secretForms(
  secrets: readonly string[],
  authorizationHeaders: readonly string[] = [],
): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 6) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(Buffer.from(secret).toString('base64').replace(/=+$/, ''));
  }
  for (const header of authorizationHeaders) {
    forms.add(header);
    const credential = header.replace(/^(Basic|Bearer)\s+/i, '');
    if (credential.length >= 8) forms.add(credential);
  }
  // A cut body (a log line keeps the first N characters) can leak the start of a credential.
  for (const form of [...forms]) if (form.length >= 20) forms.add(form.slice(0, 12));
  return [...forms].filter((form) => form.length >= 6);
}

/** Each text holding one of `forms`, with the secret masked so a failure message does not leak it. */
export function findLeaks(texts: readonly string[], forms: readonly string[]): string[] {
  return texts
    .filter((text) => forms.some((form) => text.includes(form)))
    .map((text) =>
      forms
        .reduce((masked, form) => masked.split(form).join('<secret>'), text)
        .replace(/\s+/g, ' ')
        .slice(0, 200),
    );
}

/** Hang-up error paths provoked to look for leaked credentials. */
export const SECRET_PROBES: Readonly<Record<string, HangUpScenario>> = {
  '401 (credentials refused)': { fault: { status: 401, body: '{"error":"authentication failed"}' } },
  '403': { fault: { status: 403 } },
  '500': { fault: { status: 500 } },
  'a timeout': { fault: { hang: true } },
  'a connection reset': { fault: { reset: true } },
  'a slow body': { slowBody: { status: 502 } },
  'an empty call id': { callId: '' },
  'a call id with a path in it': { callId: '../../Account' },
  'a call id with a query in it': { callId: 'abc?x=1' },
  'a call id of spaces': { callId: '   ' },
  // Some proxies and error pages echo the request's headers back.
  'an error body echoing the Authorization header': { echoAuthorization: { padding: 0 } },
  'an error body echoing it across the 500-character cut': { echoAuthorization: { padding: 420 } },
};
