/**
 * Opens a server-sent event stream with `cookie`, runs `act` once it is open, and reads until `until` holds for
 * what came so far or `timeoutMs` runs out; resolves the text read, the response's headers, and whether the
 * server ended the stream (`ended`; false when `until` held or the time ran out).
 */
export async function readEvents(
  url: string,
  cookie: string,
  until: (text: string) => boolean,
  act: () => Promise<unknown>,
  timeoutMs = 5_000,
): Promise<{ text: string; headers: Headers; ended: boolean }> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { cookie }, signal: controller.signal });
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  const decoder = new TextDecoder();
  let text = '';
  let ended = false;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  // The first bytes (retry) say the subscription is being made; give it a moment to be in place.
  text += decoder.decode((await reader.read()).value);
  await new Promise((r) => setTimeout(r, 200));
  await act();
  try {
    while (!until(text)) {
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      text += decoder.decode(value);
    }
  } catch {
    // Aborted: the time ran out; the caller checks what came.
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { text, headers: response.headers, ended };
}
