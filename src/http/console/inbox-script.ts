/**
 * The Inbox pages' script (served from `/console/assets/inbox.js`, CSP `script-src 'self'`): listens to
 * `/console/inbox/events` and, when a hand-off the page shows changes, reads the page again and swaps its `#live`
 * part (a thread page only for its own hand-off), keeping a reply being typed. The events carry the hand-off's id
 * and the kind of change only. Without JavaScript the pages work the same, by reloading.
 */
export const INBOX_JS = `'use strict';
(() => {
  const first = document.getElementById('live');
  if (!first || typeof EventSource === 'undefined' || typeof fetch === 'undefined') return;
  const only = first.getAttribute('data-handoff');
  const status = document.getElementById('live-status');
  let busy = false;
  let again = false;
  let timer = null;
  const refresh = async () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        const response = await fetch(location.pathname, {
          credentials: 'same-origin',
          cache: 'no-store',
          headers: { accept: 'text/html' },
        });
        if (response.redirected || !response.ok) {
          location.reload();
          return;
        }
        const next = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById('live');
        const current = document.getElementById('live');
        if (!next || !current) return;
        const draft = document.getElementById('reply-text');
        const typed = draft ? draft.value : '';
        const focused = draft !== null && document.activeElement === draft;
        current.replaceWith(document.importNode(next, true));
        const box = document.getElementById('reply-text');
        if (box && typed) box.value = typed;
        if (box && focused) box.focus();
        if (status) status.textContent = status.getAttribute('data-updated') || '';
      } while (again);
    } catch {
      // The next change, or a reload, shows the page as it is.
    } finally {
      busy = false;
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  };
  const source = new EventSource('/console/inbox/events');
  let opened = false;
  source.addEventListener('open', () => {
    // After a reconnection, changes may have been missed: read the page again.
    if (opened) later();
    opened = true;
  });
  source.addEventListener('handoff', (event) => {
    let data = null;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    if (only && String(data && data.id) !== only) return;
    later();
  });
})();
`;
