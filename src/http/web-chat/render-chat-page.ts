import type { Language } from '../../messaging/channel.ts';
import { html } from '../share-page/html.ts';
import { webChatCopy } from './web-chat.copy.ts';

/** What the chat page shows besides the chat. */
export interface ChatPageOptions {
  readonly language: Language;
  /** The development outbox is on: banner and SMS panel. */
  readonly devOutbox: boolean;
  /** No SMS channel in production: the commands that need a phone code are unavailable. */
  readonly noSms: boolean;
  /** A session just made: the page asks for the welcome. */
  readonly newSession: boolean;
}

/**
 * The citizen's page: an introduction and the chat. Server-rendered; the chat itself is `/chat/app.js` (no
 * inline script), which streams the replies (`/chat/events`) into a log region that screen readers announce.
 */
export function renderChatPage(options: ChatPageOptions): string {
  const t = webChatCopy[options.language];
  return html`<!doctype html>
<html lang="${options.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${t.title}</title>
<link rel="stylesheet" href="/chat/app.css">
<script src="/chat/app.js" defer></script>
</head>
<body data-new-session="${options.newSession ? '1' : '0'}" data-lang="${options.language}">
<a class="skip" href="#main">${t.skip}</a>
${options.devOutbox ? html`<p class="dev-banner" role="note">${t.devBanner} <a href="/dev/phones${options.language === 'en' ? '?lang=en' : ''}">${t.devPhones}</a></p>` : null}
<header>
<p class="site">${t.site}</p>
<nav aria-label="${t.otherLanguage.nav}"><a href="${t.otherLanguage.href}" lang="${t.otherLanguage.lang}" hreflang="${t.otherLanguage.lang}">${t.otherLanguage.label}</a></nav>
</header>
<main id="main">
<h1>${t.heading}</h1>
<p>${t.intro}</p>
${options.noSms ? html`<p class="notice" role="note">${t.noSms}</p>` : null}
<section aria-labelledby="chat-title" class="chat">
<h2 id="chat-title">${t.chatLabel}</h2>
<div id="log" class="log" role="log" aria-live="polite" aria-relevant="additions" tabindex="0" aria-labelledby="chat-title"></div>
<p id="status" class="status" role="status"></p>
<form id="composer" class="composer" action="/chat/messages" method="post">
<label for="text">${t.inputLabel}</label>
<div class="row"><input id="text" name="text" type="text" autocomplete="off" maxlength="1000" required><button type="submit">${t.send}</button></div>
</form>
<noscript><p>${t.noScript}</p></noscript>
</section>
${
  options.devOutbox
    ? html`<section aria-labelledby="dev-title" class="dev">
<h2 id="dev-title">${t.devPanel}</h2>
<p id="dev-empty">${t.devEmpty}</p>
<ol id="dev-sms" class="dev-sms" aria-live="polite"></ol>
</section>`
    : null
}
</main>
</body>
</html>
`.value;
}
