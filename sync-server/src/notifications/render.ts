// A notice as an email: the layout is MJML (responsive, tested across mail clients), compiled once
// with placeholders; each message fills them with its escaped words. Compiling MJML per message
// would cost ~10 ms of CPU each, too much for a morning's deliveries arriving at once.
import mjml2html from 'mjml';
import { noticeText, type Notice } from '../../../src/lib/domain/notifications.ts';

const LAYOUT = `<mjml>
  <mj-head>
    <mj-title>%%SUBJECT%%</mj-title>
    <mj-preview>%%PREVIEW%%</mj-preview>
    <mj-attributes>
      <mj-all font-family="Helvetica, Arial, sans-serif" />
      <mj-text font-size="15px" line-height="22px" color="#18181b" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f4f4f5">
    <mj-section padding="24px 0 0 0">
      <mj-column>
        <mj-text font-size="13px" color="#52525b">%%FACILITY%%</mj-text>
      </mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="16px 8px">
      <mj-column>
        <mj-text font-size="20px" line-height="28px" font-weight="bold">%%SUBJECT%%</mj-text>
        <mj-text>%%BODY%%</mj-text>
        <mj-divider border-width="1px" border-color="#e4e4e7" />
        <mj-text>%%ITEMS%%</mj-text>
        <mj-text>%%PICKUP%%</mj-text>
      </mj-column>
    </mj-section>
    <mj-section padding="8px 0 24px 0">
      <mj-column>
        <mj-text font-size="12px" line-height="18px" color="#71717a">%%FOOTER%%</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

let compiled: Promise<string> | null = null;
function layout(): Promise<string> {
  compiled ??= mjml2html(LAYOUT, { validationLevel: 'strict' }).then((r) => r.html);
  return compiled;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** The HTML and text of a notice; `unsubscribeUrl` for non-essential messages (reminders). */
export async function renderEmail(n: Notice, o: { facilityName: string; unsubscribeUrl?: string | null }): Promise<RenderedEmail> {
  const parts: Record<string, string> = {
    SUBJECT: escapeHtml(n.subject),
    PREVIEW: escapeHtml(n.paragraphs[0] ?? n.subject),
    FACILITY: escapeHtml(o.facilityName),
    BODY: [n.greeting, ...n.paragraphs].map((p) => `<p style="margin:0 0 12px 0">${escapeHtml(p)}</p>`).join(''),
    ITEMS: n.items
      .map((i) => `<p style="margin:0 0 12px 0"><strong>${escapeHtml(i.title)}</strong><br>${i.details.map(escapeHtml).join('<br>')}</p>`)
      .join(''),
    PICKUP: n.pickup.length ? `<p style="margin:0">Pick up at: ${n.pickup.map(escapeHtml).join('; ')}</p>` : '',
    FOOTER:
      `${escapeHtml(o.facilityName)} mailroom, sent by PackageTrack Pro.` +
      (o.unsubscribeUrl ? ` <a href="${escapeHtml(o.unsubscribeUrl)}" style="color:#52525b">Stop these reminders</a>.` : ''),
  };
  const html = (await layout()).replace(/%%([A-Z]+)%%/g, (_m, key: string) => parts[key] ?? '');
  return { subject: n.subject, text: noticeText(n, o), html };
}
