/**
 * The sandbox SMTP server (test/sim/smtp): plain SMTP with required AUTH PLAIN / LOGIN, messages
 * parsed with mailparser, and the small HTTP inbox.
 */
import axios from 'axios';

import { buildMultipart, sendRaw, sendWithNodemailer } from './client';
import { startSmtpServer } from './index';

type Smtp = Awaited<ReturnType<typeof startSmtpServer>>;

let smtp: Smtp;

const mail = {
	from: '"Bloom & Brow Studio" <hello@bloom-and-brow-studio.example.com>',
	to: ['chloe.dubois@example.com'],
	subject: 'Your appointment on 1 Dec – manage it here',
	text: 'Hi Chloé,\r\nManage your booking: https://app.sesami.co/manage/abc?token=1&shop=x\r\n.\r\nSee you soon!',
	html: '<p>Hi Chloé,</p><p><a href="https://app.sesami.co/manage/abc?token=1&amp;shop=x">Manage your booking</a></p>',
};

beforeAll(async () => {
	smtp = await startSmtpServer({
		port: 0,
		host: '127.0.0.1',
		httpPort: 0,
		user: 'n8n',
		password: 'n8n-sandbox',
	});
});

afterAll(async () => {
	await smtp.close();
});

afterEach(() => {
	smtp.clear();
});

const login = () => ({
	host: smtp.host,
	port: smtp.port,
	user: smtp.user,
	password: smtp.password,
});

describe('SMTP', () => {
	it('accepts an authenticated multipart message sent over a raw socket and parses it', async () => {
		const result = await sendRaw({
			...login(),
			auth: 'PLAIN',
			from: 'hello@bloom-and-brow-studio.example.com',
			to: mail.to,
			data: buildMultipart(mail),
		});
		expect(result.ok).toBe(true);
		expect(result.ehlo).toEqual(expect.arrayContaining(['AUTH PLAIN LOGIN']));
		expect(result.ehlo.some((l: string) => l.startsWith('STARTTLS'))).toBe(false);

		const m = await smtp.waitFor((x) => x.to.includes('chloe.dubois@example.com'), 5000);
		expect(m).toMatchObject({
			id: '1',
			from: 'hello@bloom-and-brow-studio.example.com',
			to: ['chloe.dubois@example.com'],
			subject: mail.subject,
			envelope: {
				from: 'hello@bloom-and-brow-studio.example.com',
				to: ['chloe.dubois@example.com'],
			},
		});
		expect(m.fromText).toContain('Bloom & Brow Studio');
		expect(m.text.replace(/\r\n/g, '\n')).toBe(mail.text.replace(/\r\n/g, '\n'));
		expect(m.html).toBe(mail.html);
		expect(m.headers['content-type']).toContain('multipart/alternative');
		expect(m.headers.subject).toBe(mail.subject);
		expect(Date.parse(m.date)).not.toBeNaN();
		expect(smtp.messages).toHaveLength(1);
	});

	it('supports AUTH LOGIN, and refuses a wrong password (535) and unauthenticated mail (530)', async () => {
		const okLogin = await sendRaw({
			...login(),
			auth: 'LOGIN',
			from: 'a@example.com',
			to: ['b@example.com'],
			data: buildMultipart({ ...mail, to: 'b@example.com' }),
		});
		expect(okLogin.ok).toBe(true);

		const wrong = await sendRaw({
			...login(),
			password: 'nope',
			auth: 'PLAIN',
			from: 'a@example.com',
			to: ['c@example.com'],
			data: 'Subject: x\r\n\r\nx',
		});
		expect(wrong).toMatchObject({ ok: false, code: 535 });
		const wrongLogin = await sendRaw({
			...login(),
			user: 'someone',
			auth: 'LOGIN',
			from: 'a@example.com',
			to: ['c@example.com'],
			data: 'Subject: x\r\n\r\nx',
		});
		expect(wrongLogin).toMatchObject({ ok: false, code: 535 });
		const anonymous = await sendRaw({
			...login(),
			auth: false,
			from: 'a@example.com',
			to: ['c@example.com'],
			data: 'Subject: x\r\n\r\nx',
		});
		expect(anonymous).toMatchObject({ ok: false, code: 530 });

		expect(smtp.messages.map((m) => m.to)).toEqual([['b@example.com']]);
	});

	it('receives what nodemailer sends with the n8n SMTP credential (secure false, STARTTLS disabled)', async () => {
		expect(smtp.credential).toEqual({
			host: '127.0.0.1',
			port: smtp.port,
			secure: false,
			disableStartTls: true,
			user: 'n8n',
			password: 'n8n-sandbox',
		});
		const info = await sendWithNodemailer(smtp.credential, {
			from: mail.from,
			to: 'Ada Lovelace <ada@example.com>',
			subject: 'Hello Ada',
			text: 'plain',
			html: '<b>rich</b>',
		});
		expect(info.accepted).toEqual(['ada@example.com']);
		const [m] = await smtp.waitFor(1, 5000);
		expect(m).toMatchObject({
			to: ['ada@example.com'],
			subject: 'Hello Ada',
			text: 'plain',
			html: '<b>rich</b>',
		});

		await expect(
			sendWithNodemailer(
				{ ...smtp.credential, password: 'wrong' },
				{ from: mail.from, to: 'x@example.com', subject: 's', text: 't' },
			),
		).rejects.toThrow(/535|Invalid/);
	});

	it('the outage switch: refusing answers 451 to every message until it is turned off', async () => {
		smtp.refusing = true;
		try {
			await expect(
				sendWithNodemailer(smtp.credential, {
					from: mail.from,
					to: 'ada@example.com',
					subject: 'during',
					text: 't',
				}),
			).rejects.toThrow(/451/);
			expect(smtp.messages).toHaveLength(0);
		} finally {
			smtp.refusing = false;
		}
		const info = await sendWithNodemailer(smtp.credential, {
			from: mail.from,
			to: 'ada@example.com',
			subject: 'after',
			text: 't',
		});
		expect(info.accepted).toEqual(['ada@example.com']);
	});

	it('waitFor: resolves for later messages, and rejects after the timeout', async () => {
		const later = smtp.waitFor((m) => m.subject === 'later', 5000);
		await sendRaw({
			...login(),
			auth: 'PLAIN',
			from: 'a@example.com',
			to: ['d@example.com'],
			data: 'From: a@example.com\r\nTo: d@example.com\r\nSubject: later\r\n\r\nbody',
		});
		expect((await later).to).toEqual(['d@example.com']);
		await expect(smtp.waitFor((m) => m.subject === 'never', 50)).rejects.toThrow(
			/no matching message/,
		);
	});
});

describe('HTTP inbox', () => {
	it('lists messages newest first, serves the HTML body and JSON, and clears', async () => {
		const http = axios.create({ baseURL: smtp.httpUrl, validateStatus: () => true, timeout: 5000 });
		for (const [i, to] of ['first@example.com', 'second@example.com'].entries()) {
			const r = await sendRaw({
				...login(),
				auth: 'PLAIN',
				from: 'hello@example.com',
				to: [to],
				data: buildMultipart({ ...mail, to, subject: `Message ${i + 1} <&>` }),
			});
			expect(r.ok).toBe(true);
		}
		await smtp.waitFor(2, 5000);

		const page = await http.get('/');
		expect(page.status).toBe(200);
		expect(page.headers['content-type']).toContain('text/html');
		const html = page.data as string;
		expect(html.indexOf('Message 2 &lt;&amp;&gt;')).toBeGreaterThan(-1);
		expect(html.indexOf('Message 2 &lt;&amp;&gt;')).toBeLessThan(
			html.indexOf('Message 1 &lt;&amp;&gt;'),
		);
		expect(html).toContain('second@example.com');
		const [first, second] = smtp.messages;
		expect(html).toContain(`href="/messages/${second.id}"`);

		const list = await http.get('/messages');
		expect((list.data as Array<{ id: string; subject: string }>).map((m) => m.subject)).toEqual([
			'Message 1 <&>',
			'Message 2 <&>',
		]);

		const body = await http.get(`/messages/${first.id}`);
		expect(body.status).toBe(200);
		expect(body.data).toBe(mail.html);
		const one = await http.get(`/messages/${first.id}.json`);
		expect(one.data).toMatchObject({ id: first.id, to: ['first@example.com'] });
		expect((await http.get('/messages/999')).status).toBe(404);

		const cleared = await http.delete('/messages');
		expect(cleared.data).toEqual({ cleared: 2 });
		expect(smtp.messages).toHaveLength(0);
		expect((await http.get('/')).data).toContain('No messages yet.');
	});

	it('switches the outage on and off over HTTP (PUT /outage), for tests in another process', async () => {
		const http = axios.create({ baseURL: smtp.httpUrl, validateStatus: () => true, timeout: 5000 });
		expect((await http.get('/outage')).data).toEqual({ refusing: false });
		try {
			const on = await http.put('/outage', { refusing: true });
			expect(on.status).toBe(200);
			expect(on.data).toEqual({ refusing: true });
			expect(smtp.refusing).toBe(true);
			await expect(
				sendWithNodemailer(smtp.credential, {
					from: mail.from,
					to: 'ada@example.com',
					subject: 'during',
					text: 't',
				}),
			).rejects.toThrow(/451/);
			expect((await http.put('/outage', { refusing: 'yes' })).status).toBe(400);
			expect(
				(await http.put('/outage', 'not json', { headers: { 'content-type': 'application/json' } }))
					.status,
			).toBe(400);
			expect(smtp.refusing).toBe(true);
		} finally {
			smtp.refusing = false;
		}
		const off = await http.put('/outage', { refusing: false });
		expect(off.data).toEqual({ refusing: false });
		const info = await sendWithNodemailer(smtp.credential, {
			from: mail.from,
			to: 'ada@example.com',
			subject: 'after',
			text: 't',
		});
		expect(info.accepted).toEqual(['ada@example.com']);
		expect(smtp.messages).toHaveLength(1);
	});
});
