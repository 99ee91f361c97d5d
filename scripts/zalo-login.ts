/**
 * `ZALO_PERSONAL_CREDENTIALS=data/zalo-personal.json npm run zalo:login`: logs the team's Zalo account in by QR
 * code and saves the session for the `zalo-personal` channel.
 *
 * 1. Writes the QR image next to the credentials file (`zalo-qr.png`, or `ZALO_QR_PATH`) and says where.
 * 2. Scan it with the Zalo app of the team's account (QR scanner) and confirm the login on the phone; a QR code
 *    expires after 100 s and a new one is written.
 * 3. Saves `{ cookie, imei, userAgent }` to the credentials file (mode 0600, directory created), deletes the QR
 *    image and exits 0. The cookies are never printed.
 *
 * Run it again when the listener logs `ZALO_PERSONAL_LOGIN_FAILED` (the session expired).
 */
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type LoginQRCallbackEvent, LoginQRCallbackEventType, Zalo, ZaloApiError } from 'zca-js';

const credentialsPath = process.env.ZALO_PERSONAL_CREDENTIALS;
if (!credentialsPath) {
  console.error('usage: ZALO_PERSONAL_CREDENTIALS=path/to/zalo-personal.json npm run zalo:login');
  process.exit(2);
}
const qrPath = process.env.ZALO_QR_PATH || path.join(path.dirname(credentialsPath), 'zalo-qr.png');
/** Set once the session is being saved: zca-js then goes on logging in, and its outcome no longer matters. */
let saving = false;

/** A short reason for a failure: the error's class and Zalo code, and the first line of its message. */
function describe(error: unknown): string {
  if (error instanceof ZaloApiError) {
    const firstLine = error.message.split('\n')[0] ?? '';
    return `${error.constructor.name}${error.code === null ? '' : ` ${error.code}`}: ${firstLine}`;
  }
  if (error instanceof Error) return `${error.name}: ${error.message.split('\n')[0] ?? ''}`;
  return String(error);
}

/** Writes the credentials atomically (a running listener never reads half a file), readable by the owner only. */
async function saveCredentials(file: string, credentials: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
}

async function onEvent(event: LoginQRCallbackEvent, file: string): Promise<void> {
  switch (event.type) {
    case LoginQRCallbackEventType.QRCodeGenerated:
      await event.actions.saveToFile(qrPath);
      console.log(`QR code written to ${path.resolve(qrPath)}`);
      console.log('Open it and scan it with the Zalo app of the team account (it expires in 100 s).');
      return;
    case LoginQRCallbackEventType.QRCodeExpired:
      console.log('The QR code expired; writing a new one.');
      event.actions.retry();
      return;
    case LoginQRCallbackEventType.QRCodeScanned:
      console.log(`Scanned by "${event.data.display_name}". Confirm the login on the phone.`);
      return;
    case LoginQRCallbackEventType.QRCodeDeclined:
      console.error('The login was declined on the phone.');
      event.actions.abort();
      return;
    case LoginQRCallbackEventType.GotLoginInfo: {
      const { cookie, imei, userAgent } = event.data;
      saving = true;
      await saveCredentials(file, { cookie, imei, userAgent });
      await rm(qrPath, { force: true });
      console.log(`Logged in. Credentials saved to ${path.resolve(file)} (mode 0600).`);
      console.log('Start (or restart) the one listener process of this account now.');
      process.exit(0);
    }
  }
}

async function main(file: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(qrPath)), { recursive: true, mode: 0o700 });
  const zalo = new Zalo({ checkUpdate: false, logging: false, selfListen: false });
  await zalo.loginQR({ qrPath }, (event) => {
    onEvent(event, file).catch((error: unknown) => {
      console.error(`Zalo login failed: ${describe(error)}`);
      process.exit(1);
    });
  });
}

main(credentialsPath).catch((error: unknown) => {
  if (saving) return; // the GotLoginInfo handler exits once the file is written
  console.error(`Zalo login failed: ${describe(error)}`);
  process.exit(1);
});
