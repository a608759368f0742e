import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../config/config.js';
import { custodyHash, type CustodyRow, custodyProblem, GENESIS_HASH } from './custody.js';
import { uploadMeta } from './intake.js';
import { evidenceKey } from './key.js';
import { evidenceRefusal, imageRefusal } from './refusal.js';
import { contentMismatch, sniffMediaType } from './sniff.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('rest of a png')]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
const WEBP = Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1');
const MP4 = Buffer.from('\x00\x00\x00\x18ftypmp42', 'latin1');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n%%EOF\n');

describe('evidence refusal policy', () => {
  const none = { suspectedCsam: false, category: 'cyberbullying', procedure: null } as const;

  it('refuses images and video on suspected CSAM, nudes and illegal-procedure incidents, and says what to do instead', () => {
    const cases = [
      [{ ...none, suspectedCsam: true }, 'suspected_csam'],
      [{ ...none, category: 'sexting_nudes' }, 'nudes_and_semi_nudes'],
      [{ ...none, procedure: 'illegal' as const }, 'illegal_procedure'],
    ] as const;
    for (const [facts, reason] of cases) {
      for (const type of ['image/png', 'image/jpeg', 'video/mp4', 'image/heic']) {
        const refusal = evidenceRefusal(facts, [type]);
        assert.equal(refusal?.reason, reason, `${type} on ${reason}`);
        assert.match(refusal!.message, /Do not copy, save, print or share it/);
        assert.match(refusal!.message, /Record the URL and a description/);
        assert.match(refusal!.message, /isolate the device/);
        assert.match(refusal!.message, /refer to the police/);
      }
    }
    assert.match(imageRefusal({ ...none, category: 'sexting_nudes' })!.message, /UKCIS/);
  });

  it('accepts documents and text on those incidents, and images elsewhere', () => {
    const csam = { ...none, suspectedCsam: true };
    assert.equal(evidenceRefusal(csam, ['application/pdf', null]), null);
    assert.equal(evidenceRefusal(csam, ['text/plain', null]), null);
    assert.equal(evidenceRefusal(none, ['image/png', 'image/png']), null);
    assert.equal(evidenceRefusal({ ...none, procedure: 'standard' }, ['video/mp4']), null);
    assert.equal(imageRefusal(none), null);
  });

  it('refuses when the content is an image even if the declared type is not', () => {
    assert.equal(evidenceRefusal({ ...none, suspectedCsam: true }, ['application/pdf', 'image/png'])?.reason, 'suspected_csam');
  });
});

describe('evidence content sniffing', () => {
  it('recognises each supported kind by its first bytes', () => {
    assert.equal(sniffMediaType(PNG), 'image/png');
    assert.equal(sniffMediaType(JPEG), 'image/jpeg');
    assert.equal(sniffMediaType(GIF), 'image/gif');
    assert.equal(sniffMediaType(WEBP), 'image/webp');
    assert.equal(sniffMediaType(MP4), 'video/mp4');
    assert.equal(sniffMediaType(PDF), 'application/pdf');
    assert.equal(sniffMediaType(Buffer.from('hello')), null);
  });

  it('refuses content that is not what it says it is', () => {
    assert.match(contentMismatch('text/plain', PNG)!, /PNG image, not text\/plain/);
    assert.match(contentMismatch('application/pdf', JPEG)!, /JPEG image, not application\/pdf/);
    assert.match(contentMismatch('text/plain', PDF)!, /PDF document/);
    assert.match(contentMismatch('image/png', Buffer.from('just text'))!, /does not look like a PNG image/);
    assert.match(contentMismatch('text/plain', Buffer.from([0x61, 0x00, 0x62]))!, /not plain text/);
    assert.match(contentMismatch('text/csv', Buffer.from([0xc3, 0x28]))!, /not plain text/);
    assert.equal(contentMismatch('text/plain', Buffer.from('Héllo, wörld\n')), null);
    assert.equal(contentMismatch('image/png', PNG), null);
    assert.equal(contentMismatch('application/pdf', PDF), null);
    assert.equal(contentMismatch('application/vnd.ms-excel', Buffer.from([1, 2, 3])), null, 'an unsniffed type that is no image passes');
    assert.match(contentMismatch('application/vnd.ms-excel', GIF)!, /GIF image/);
  });
});

describe('evidence upload headers', () => {
  const accepted = ['application/pdf', 'text/plain'];
  it('strips folders, decodes the name and refuses bad names and types', () => {
    const meta = uploadMeta(
      {
        contentType: 'application/pdf; x=1',
        filename: encodeURIComponent('C:\\Users\\dee\\Lettre été.pdf'),
        description: encodeURIComponent(' From the police '),
      },
      accepted,
    );
    assert.deepEqual(meta, { filename: 'Lettre été.pdf', description: 'From the police', mediaType: 'application/pdf' });
    assert.equal(
      uploadMeta({ contentType: 'text/plain', filename: '..%2F..%2Fetc%2Fpasswd', description: undefined }, accepted).filename,
      'passwd',
    );
    assert.equal(
      uploadMeta({ contentType: 'text/plain', filename: encodeURIComponent('forged\r\nline\u0000.txt'), description: undefined }, accepted)
        .filename,
      'forgedline.txt',
    );
    const refused = (h: Parameters<typeof uploadMeta>[0]) => {
      try {
        uploadMeta(h, accepted);
      } catch (error) {
        return error as { id: string; message: string };
      }
      assert.fail('expected a refusal');
    };
    const type = refused({ contentType: 'image/png', filename: 'a.png', description: undefined });
    assert.equal(type.id, 'unsupported_media_type');
    assert.match(type.message, /Accepted: application\/pdf, text\/plain/);
    assert.equal(refused({ contentType: 'text/plain', filename: undefined, description: undefined }).id, 'validation_failed');
    assert.equal(refused({ contentType: 'text/plain', filename: '%E0%A4%A', description: undefined }).id, 'validation_failed');
    assert.match(refused({ contentType: 'text/plain', filename: 'x'.repeat(201), description: undefined }).message, /200 characters/);
    assert.equal(refused({ contentType: 'text/plain', filename: '%2F%20', description: undefined }).id, 'validation_failed');
  });
});

describe('evidence key', () => {
  it('takes a hex or base64 key, derives one otherwise, and refuses a wrong length clearly', () => {
    const hex = evidenceKey('ab'.repeat(32), Buffer.alloc(32, 1));
    assert.equal(hex.key.toString('hex'), 'ab'.repeat(32));
    assert.match(hex.id, /^[0-9a-f]{16}$/);
    assert.deepEqual(evidenceKey(Buffer.alloc(32, 0xab).toString('base64'), Buffer.alloc(32)).key, hex.key);
    const derived = evidenceKey(undefined, Buffer.alloc(32, 1));
    assert.equal(derived.key.length, 32);
    assert.notDeepEqual(derived.key, Buffer.alloc(32, 1), 'derived, not the secret key itself');
    assert.deepEqual(evidenceKey(undefined, Buffer.alloc(32, 1)).key, derived.key, 'the same secret gives the same key');
    assert.notEqual(evidenceKey(undefined, Buffer.alloc(32, 2)).id, derived.id);
    assert.throws(
      () => evidenceKey('abcd', Buffer.alloc(32)),
      (e: Error) => e instanceof ConfigError && /32 bytes.*decodes to 3 bytes/.test(e.message),
    );
    assert.throws(() => evidenceKey('not a key!', Buffer.alloc(32)), /TUTELA_EVIDENCE_KEY/);
  });
});

describe('custody chain checks', () => {
  const chain = (): CustodyRow[] => {
    const rows: CustodyRow[] = [];
    let prev = GENESIS_HASH;
    for (const [i, event] of (['upload', 'view', 'export'] as const).entries()) {
      const body = {
        id: `c${i}`,
        evidence_id: 'e1',
        seq: i + 1,
        event,
        actor_person_id: 'p1',
        actor_username: 'dee.dsl',
        ip: '127.0.0.1',
        sha256_seen: 'f'.repeat(64),
        details: null,
        at: `2026-11-24T09:0${i}:00.000Z`,
      };
      const hash = custodyHash(prev, body);
      rows.push({ ...body, prev_hash: prev, hash });
      prev = hash;
    }
    return rows;
  };
  it('passes a whole chain and names the first problem otherwise', () => {
    assert.equal(custodyProblem(chain(), 'f'.repeat(64)), null);
    assert.match(custodyProblem(chain(), 'e'.repeat(64))!, /upload event does not show the SHA-256/);
    const gap = chain();
    gap.splice(1, 1);
    assert.match(custodyProblem(gap, 'f'.repeat(64))!, /event 2 is missing/);
    const edited = chain();
    edited[1] = { ...edited[1]!, actor_username: 'someone.else' };
    assert.match(custodyProblem(edited, 'f'.repeat(64))!, /event 2 has been altered/);
    const relinked = chain()
      .slice(1)
      .map((r, i) => ({ ...r, seq: i + 1 }));
    assert.match(custodyProblem(relinked, 'f'.repeat(64))!, /event 1/);
    assert.match(custodyProblem([], 'f'.repeat(64))!, /empty/);
  });
});
