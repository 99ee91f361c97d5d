import { describe, expect, it } from 'vitest';
import { renderChatPage } from './render-chat-page.ts';

const base = { language: 'vi', devOutbox: false, noSms: false, newSession: false } as const;

describe('the chat page', () => {
  it('has the chat, a labelled input, a log region, the script and style from the service, and no inline script', () => {
    const page = renderChatPage(base);
    expect(page).toContain('<html lang="vi">');
    expect(page).toContain('role="log" aria-live="polite"');
    expect(page).toContain('<label for="text">Tin nhắn của bạn</label>');
    expect(page).toContain('<script src="/chat/app.js" defer></script>');
    expect(page).toContain('<link rel="stylesheet" href="/chat/app.css">');
    expect(page).not.toMatch(/<script>|<style|style="|\son[a-z]+="/);
    expect(page).toContain('href="/?lang=en"');
    expect(page).not.toContain('Chế độ phát triển');
  });

  it('shows the development banner and SMS panel only in development mode', () => {
    const dev = renderChatPage({ ...base, devOutbox: true, language: 'en' });
    expect(dev).toContain('Development mode: no SMS is sent.');
    expect(dev).toContain('SMS messages (development)');
    expect(dev).toContain('<a href="/dev/phones?lang=en">Texts to every phone</a>');
    const vi = renderChatPage({ ...base, devOutbox: true });
    expect(vi).toContain('Chế độ phát triển: không gửi SMS thật.');
    expect(vi).toContain('<a href="/dev/phones">Tin nhắn tới mọi số điện thoại</a>');
    expect(renderChatPage(base)).not.toContain('/dev/phones');
  });

  it('says so when no SMS can be sent in production', () => {
    expect(renderChatPage({ ...base, noSms: true, language: 'en' })).toContain(
      'commands that need a phone code (register, link) are not available here',
    );
  });

  it('marks a new session, for the welcome', () => {
    expect(renderChatPage({ ...base, newSession: true })).toContain('data-new-session="1"');
    expect(renderChatPage(base)).toContain('data-new-session="0"');
  });
});
