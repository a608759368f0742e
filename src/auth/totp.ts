import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

const PERIOD = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, username: string, issuer = 'Tutela'): string {
  return new TOTP({ issuer, label: username, secret: Secret.fromBase32(secretBase32), period: PERIOD }).toString();
}

export async function totpQrDataUrl(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { margin: 1, width: 220 });
}

/**
 * Checks a 6-digit code with one step of clock drift either way. Returns the matched time step
 * so the caller can refuse a second use of the same code, or null.
 */
export function checkTotp(secretBase32: string, code: string, now: Date): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const totp = new TOTP({ secret: Secret.fromBase32(secretBase32), period: PERIOD });
  const delta = totp.validate({ token, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / PERIOD) + delta;
}

/** The code for a time, for tests and for the enrolment page's self-check. */
export function totpCodeAt(secretBase32: string, at: Date): string {
  return new TOTP({ secret: Secret.fromBase32(secretBase32), period: PERIOD }).generate({ timestamp: at.getTime() });
}
