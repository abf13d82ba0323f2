// Outgoing email. Resend in production (RESEND_API_KEY); in development the message is logged and
// kept in memory so a person (or a test) can follow the link without a mail provider.
export interface Email {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** True when mail really leaves the server (a token must then never be shown in the API). */
  readonly delivers: boolean;
  send(email: Email): Promise<void>;
}

export class LogMailer implements Mailer {
  readonly delivers = false;
  readonly sent: Email[] = [];
  constructor(private readonly log: boolean = true) {}
  async send(email: Email) {
    this.sent.push(email);
    if (this.sent.length > 100) this.sent.shift();
    if (this.log) console.log(`[mail] to ${email.to}: ${email.subject}`);
  }
}

export class ResendMailer implements Mailer {
  readonly delivers = true;
  constructor(
    private readonly apiKey: string,
    private readonly from: string,
    private readonly baseUrl = 'https://api.resend.com',
  ) {}
  async send(email: Email) {
    const res = await fetch(`${this.baseUrl}/emails`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: this.from, to: [email.to], subject: email.subject, text: email.text }),
    });
    if (!res.ok) throw new Error(`Resend answered ${res.status}`);
  }
}
