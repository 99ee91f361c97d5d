/**
 * What the service adds to bull-board's page (served from this origin, staff only, at {@link QUEUES_A11Y_JS_PATH}
 * and {@link QUEUES_A11Y_CSS_PATH}; put in the page by queues-routes.ts). bull-board 9.10 (and 9.10.2, the newest
 * release) fails axe-core on its own markup: icon buttons without a name (`button-name`, critical), its Redis logo
 * an `<svg role="img">` without one (`svg-img-alt`), and two colours just under 4.5:1 (`color-contrast`). The
 * script, re-applied by a `MutationObserver` as the React application redraws, names each unnamed button (from its
 * `title`, else from its icon: bull-board's icons are lucide's, whose class names say what they are), hides
 * unnamed `svg role="img"` from assistive technology (they are decorative, inside named buttons), and hides the
 * menu items of the actions the service refuses (queues-routes.ts: emptying, obliterating, adding or editing
 * jobs…; the server refuses them anyway). The board's text is English only (`locale: en-US`), so are these names.
 */
export const QUEUES_A11Y_JS = `'use strict';
(() => {
  const ICONS = {
    maximize: 'Full screen',
    minimize: 'Exit full screen',
    settings: 'Settings',
    'circle-user': 'Account',
    'ellipsis-vertical': 'More actions',
    'ellipsis': 'More actions',
    'refresh-cw': 'Refresh',
    x: 'Close',
    menu: 'Menu',
    search: 'Search',
    copy: 'Copy',
  };
  const REFUSED = new Set([
    'Empty', 'Obliterate', 'Add job', 'Set concurrency', 'Set rate limit', 'Update Data', 'Duplicate',
    'Change priority', 'Remove unprocessed children',
  ]);
  const nameOf = (button) => {
    const title = button.getAttribute('title');
    if (title) return title;
    if (button.querySelector('svg .rds-b1')) return 'Redis';
    const icon = button.querySelector('svg[class*="lucide-"]');
    const kind = icon && [...icon.classList].find((c) => c.startsWith('lucide-'));
    if (!kind) return 'Button';
    const key = kind.slice('lucide-'.length);
    return ICONS[key] || key.replace(/-/g, ' ');
  };
  const apply = () => {
    for (const button of document.querySelectorAll('button:not([aria-label]):not([aria-labelledby])')) {
      if (button.innerText.trim() === '') button.setAttribute('aria-label', nameOf(button));
    }
    for (const svg of document.querySelectorAll('svg[role="img"]:not([aria-label]):not([aria-hidden])')) {
      if (!svg.querySelector('title')) svg.setAttribute('aria-hidden', 'true');
    }
    for (const item of document.querySelectorAll('[role="menuitem"]')) {
      if (!item.hidden && REFUSED.has(item.textContent.trim())) {
        item.hidden = true;
        item.style.display = 'none';
      }
    }
  };
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      apply();
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  apply();
})();
`;

/**
 * Two colours of bull-board's light theme darkened to reach 4.5:1 (the search field's `Ctrl K` hint, the open
 * queue in the menu); its dark theme is left as it is.
 */
export const QUEUES_A11Y_CSS = `body:not(.dark-mode) [class^="searchShortcut-"] { color: #4b5560; }
body:not(.dark-mode) [class*="menu-"] a[class*="active-"] { color: #0a5a51; }
`;

/** Where the board's page loads the script and the styles above (staff only, like the board). */
export const QUEUES_A11Y_JS_PATH = '/console/queues/console-a11y.js';
export const QUEUES_A11Y_CSS_PATH = '/console/queues/console-a11y.css';
