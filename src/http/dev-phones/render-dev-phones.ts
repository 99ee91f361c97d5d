import { maskLocalPhone } from '../../../flows/identity/phone-proof.ts';
import type { Language } from '../../messaging/channel.ts';
import { html, type SafeHtml } from '../share-page/html.ts';
import { devPhonesCopy } from './dev-phones.copy.ts';

/** A phone as the list shows it: masked, with a link to its own view. */
export interface ListedDevPhone {
  readonly phone: string;
  readonly lastTextAt: Date;
}

/** The path of a phone's own view: its number in E.164 without the `+` (`/dev/phones/84905123456`). */
export function devPhonePath(phone: string): string {
  return `/dev/phones/${phone.replace(/^\+/u, '')}`;
}

/** The phone in the way a Vietnamese person writes it (`0905123456`). */
function localPhone(phone: string): string {
  return phone.startsWith('+84') ? `0${phone.slice(3)}` : phone;
}

/** The page around the content: the development banner, the header with the language switch, one main. */
function frame(language: Language, title: string, path: string, content: SafeHtml, script: boolean): string {
  const t = devPhonesCopy[language];
  const other = t.otherLanguage;
  return html`<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="stylesheet" href="/chat/app.css">
${script ? html`<script src="/dev/phones/assets/phones.js" defer></script>` : null}
</head>
<body>
<a class="skip" href="#main">${t.skip}</a>
<p class="dev-banner" role="note">${t.banner}</p>
<header>
<p class="site"><a href="/${language === 'en' ? '?lang=en' : ''}">${t.chat}</a></p>
<nav aria-label="${other.nav}"><a href="${path}${other.lang === 'en' ? '?lang=en' : ''}" lang="${other.lang}" hreflang="${other.lang}">${other.label}</a></nav>
</header>
<main id="main">
${content}
</main>
</body>
</html>
`.value;
}

/** `/dev/phones`: the phones that received texts (masked), and a form to start as a new phone. */
export function renderDevPhoneList(options: {
  language: Language;
  phones: readonly ListedDevPhone[];
  error?: string | undefined;
  typed?: string | undefined;
}): string {
  const t = devPhonesCopy[options.language];
  const q = options.language === 'en' ? '?lang=en' : '';
  const when = (at: Date) =>
    at.toLocaleString(options.language === 'en' ? 'en-GB' : 'vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
  const content = html`<h1>${t.title}</h1>
<p>${t.intro}</p>
<section aria-labelledby="phones-title">
<h2 id="phones-title">${t.phones}</h2>
${
  options.phones.length === 0
    ? html`<p>${t.none}</p>`
    : html`<ul class="phones">${options.phones.map(
        (p) =>
          html`<li><a href="${devPhonePath(p.phone)}${q}">${maskLocalPhone(p.phone)}</a> <span class="hint">(${t.lastText(when(p.lastTextAt))})</span></li>`,
      )}</ul>`
}
</section>
<section aria-labelledby="start-title">
<h2 id="start-title">${t.start}</h2>
<form class="composer" method="post" action="/dev/phones${q}">
<label for="phone">${t.phone}</label>
<p id="phone-hint" class="hint">${t.phoneHint}</p>
${options.error ? html`<p id="phone-error" class="error" role="alert">${options.error}</p>` : null}
<div class="row"><input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="off" required value="${options.typed ?? ''}" aria-describedby="phone-hint${options.error ? ' phone-error' : ''}"><button type="submit">${t.open}</button></div>
</form>
</section>`;
  return frame(options.language, t.title, '/dev/phones', content, false);
}

/** `/dev/phones/<phone>`: one phone's texts, live (server-sent events), and the box to answer as it. */
export function renderDevPhone(options: { language: Language; phone: string }): string {
  const t = devPhonesCopy[options.language];
  const q = options.language === 'en' ? '?lang=en' : '';
  const path = devPhonePath(options.phone);
  const local = localPhone(options.phone);
  const content = html`<p><a href="/dev/phones${q}">${t.back}</a></p>
<h1>${t.title}: ${local}</h1>
<section aria-labelledby="texts-title" id="phone-view" data-path="${path}" data-service="${t.service}" data-you="${t.you}" data-failed="${t.errors.failed}" data-limited="${t.errors.limited}" data-empty="${t.empty}">
<h2 id="texts-title">${t.texts}</h2>
<div id="texts" class="log" role="log" aria-live="polite" aria-relevant="additions" tabindex="0" aria-labelledby="texts-title"></div>
<noscript><p>${t.noscript}</p></noscript>
<form id="answer" class="composer" method="post" action="${path}/messages${q}">
<label for="text">${t.answer}</label>
<div class="row"><input id="text" name="text" type="text" autocomplete="off" maxlength="1000" required><button type="submit">${t.send}</button></div>
</form>
<p id="status" class="status" role="status"></p>
</section>`;
  return frame(options.language, `${t.title}: ${local}`, path, content, true);
}
