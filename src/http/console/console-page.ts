import type { ConsoleSession } from '../access-control.ts';
import { html, type SafeHtml } from '../share-page/html.ts';
import { type ConsoleCopy, type ConsoleLang, consoleCopy } from './console.copy.ts';
import { dashboardCopy } from './dashboard.copy.ts';
import { DASHBOARD_CSS } from './dashboard-style.ts';
import { queuesCopy } from './queues.copy.ts';
import { simulatorCopy } from './simulator.copy.ts';
import { SIMULATOR_CSS } from './simulator-script.ts';

/** The console's style sheet, served from `/console/assets/console.css` (mobile first, WCAG AA colours). */
export const CONSOLE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1a1a1a;background:#f6f7f9}
.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.5rem}
.dev-banner{margin:0;padding:.5rem 1rem;background:#fef7e0;border-bottom:2px solid #8a5a00;color:#5c3c00;font-weight:600;text-align:center}.dev-banner a{color:#5c3c00}
header,main,footer{max-width:48rem;margin:0 auto;padding:.75rem 1rem}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between}
.site{margin:0;font-weight:700}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
a{color:#0b57d0}a[aria-current=page]{font-weight:700;color:#1a1a1a}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}
.who{font-size:.9375rem;color:#4a4a4a;display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline;margin:0;width:100%}.who form{margin:0}
main{background:#fff;border-radius:.5rem;overflow-wrap:anywhere}
h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0 1rem}h2{font-size:1.125rem;margin:1.5rem 0 .5rem}
form{margin:.5rem 0 1rem}label{display:block;font-weight:600;margin:.5rem 0 .25rem}
input,select{width:100%;max-width:100%;font:inherit;padding:.5rem;border:1px solid #5f6368;border-radius:.25rem;background:#fff;color:#1a1a1a}
button{font:inherit;font-weight:600;padding:.5rem 1rem;margin-top:.5rem;border:0;border-radius:.5rem;background:#0b57d0;color:#fff;cursor:pointer}
button.link{background:none;color:#0b57d0;text-decoration:underline;padding:0;margin:0}
button.danger{background:#b3261e}
.note{border-left:4px solid #137333;background:#e6f4ea;padding:.5rem .75rem;margin:.5rem 0}
.error{border-left:4px solid #b3261e;background:#fce8e6;padding:.5rem .75rem;margin:.5rem 0}
ul.list{list-style:none;padding:0;margin:0}ul.list li{border-bottom:1px solid #dadce0;padding:.5rem 0}
.code{font:700 1.25rem/1.2 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.1em}
.muted{color:#4a4a4a;font-size:.9375rem}
dl.summary dt{font-weight:600;margin-top:.5rem}dl.summary dd{margin:0}
.pending{border-left:4px solid #0b57d0;background:#e8f0fe;padding:.5rem .75rem;margin:.5rem 0}
textarea{width:100%;max-width:100%;font:inherit;padding:.5rem;border:1px solid #5f6368;border-radius:.25rem;min-height:6rem}
ol.thread{list-style:none;padding:0;margin:0}ol.thread li{border-left:4px solid #dadce0;padding:.25rem .75rem;margin:.5rem 0;white-space:pre-wrap}
ol.thread li.citizen{border-left-color:#0b57d0}ol.thread li.volunteer,ol.thread li.staff{border-left-color:#137333}
.badge{display:inline-block;padding:0 .5rem;border-radius:1rem;font-size:.875rem;font-weight:600;background:#e8eaed;color:#1a1a1a}.badge.open{background:#fce8e6;color:#8c1d18}.badge.held{background:#e6f4ea;color:#0d5224}
${DASHBOARD_CSS}${SIMULATOR_CSS}`;

/** The Content-Security-Policy of every console page: styles, scripts and images from this origin only. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "script-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** A page of the console's navigation: its path, its name, and who sees the link. */
export interface ConsoleNavItem {
  readonly path: string;
  readonly label: (copy: ConsoleCopy) => string;
  readonly roles: readonly ConsoleSession['role'][];
  /** The roles in production, when fewer (the Simulator: staff only). */
  readonly productionRoles?: readonly ConsoleSession['role'][];
}

/**
 * The console's pages, in the order of the navigation. A new page adds itself here (issue 11: Register a
 * neighbour, Inbox, Dashboard, Teams, Simulator, Queues), with the same roles as its route.
 */
export const CONSOLE_NAV: ConsoleNavItem[] = [
  { path: '/console/register', label: (c) => c.register, roles: ['leader', 'member'] },
  { path: '/console/inbox', label: (c) => c.inbox, roles: ['staff', 'leader', 'member'] },
  { path: '/console/teams', label: (c) => c.teams, roles: ['staff', 'leader', 'member'] },
  {
    path: '/console/dashboard',
    label: (c) => dashboardCopy[c === consoleCopy.en ? 'en' : 'vi'].nav,
    roles: ['staff', 'leader', 'member'],
  },
  {
    path: '/console/simulator',
    label: (c) => simulatorCopy[c === consoleCopy.en ? 'en' : 'vi'].nav,
    roles: ['staff', 'leader', 'member'],
    productionRoles: ['staff'],
  },
  {
    path: '/console/queues',
    label: (c) => queuesCopy[c === consoleCopy.en ? 'en' : 'vi'].nav,
    roles: ['staff'],
  },
];

/** What a console page is made of. */
export interface ConsolePageInput {
  readonly lang: ConsoleLang;
  readonly title: string;
  /** The path the page was asked at (for the language links and the current page in the navigation). */
  readonly path: string;
  /**
   * The query string the page was asked with (without `?`), when it says what the page shows (the Dashboard's
   * period and ward): the language link keeps it, with `lang` replaced.
   */
  readonly query?: string | undefined;
  /** Absent on the sign-in pages. */
  readonly session?: ConsoleSession | undefined;
  readonly content: SafeHtml;
  /** In production (NODE_ENV): links with `productionRoles` follow those. Default: `NODE_ENV` of the process. */
  readonly production?: boolean;
  /**
   * Development mode (no SMS channel, not production): a banner says no SMS is sent and links to the development
   * phones, as on every page of the service.
   */
  readonly developmentMode?: boolean;
}

/** A whole console page: the header (site, navigation, who is signed in, sign-out, language), then the content. */
export function renderConsolePage(page: ConsolePageInput): string {
  const copy = consoleCopy[page.lang];
  const { session } = page;
  const production = page.production ?? process.env.NODE_ENV === 'production';
  const other: ConsoleLang = page.lang === 'vi' ? 'en' : 'vi';
  const languageQuery = new URLSearchParams(page.query ?? '');
  languageQuery.set('lang', other);
  const nav = session
    ? CONSOLE_NAV.filter((item) =>
        (production ? (item.productionRoles ?? item.roles) : item.roles).includes(session.role),
      )
    : ([] as ConsoleNavItem[]);
  return html`<!doctype html>
<html lang="${page.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="same-origin">
<title>${page.title} · ${copy.site}</title>
<link rel="stylesheet" href="/console/assets/console.css">
</head>
<body>
<a class="skip" href="#main">${copy.skip}</a>
${page.developmentMode ? html`<p class="dev-banner" role="note">${copy.devBanner} <a href="/dev/phones${page.lang === 'en' ? '?lang=en' : ''}">${copy.devPhones}</a></p>` : null}
<header>
<p class="site"><a href="/console">${copy.site}</a></p>
<nav aria-label="${copy.languages}"><a href="${page.path}?${languageQuery.toString()}" lang="${other}" hreflang="${other}">${other === 'en' ? 'English' : 'Tiếng Việt'}</a></nav>
${
  session
    ? html`<nav aria-label="${copy.nav}"><ul>${nav.map(
        (item) =>
          html`<li><a href="${item.path}"${page.path.startsWith(item.path) ? html` aria-current="page"` : null}>${item.label(copy)}</a></li>`,
      )}</ul></nav>
<div class="who"><span>${copy.signedInAs(session.role === 'staff' ? copy.staffName : maskedPhone(session.phone), copy.roles[session.role])}</span>
<form method="post" action="/console/sign-out"><input type="hidden" name="_csrf" value="${session.csrf}"><button class="link" type="submit">${copy.signOut}</button></form></div>`
    : null
}
</header>
<main id="main">
<h1>${page.title}</h1>
${page.content}
</main>
</body>
</html>
`.value;
}

/** A phone as the header shows it: its last three digits only. */
function maskedPhone(phone: string | undefined): string {
  return phone ? `…${phone.slice(-3)}` : '';
}
