import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { AppError } from '../../errors/errors.js';
import { decodeCsvBytes } from './decode.js';
import { resolveMapping, suggestMapping } from './kinds.js';
import { parseCsv } from './parse.js';
import { parseDateOfBirth, parseRoles, parseYearGroup } from './values.js';

const TODAY = new Date('2026-11-24T09:00:00Z');

function csvError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AppError, `expected AppError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an invalid_csv error');
}

describe('decoding uploaded bytes', () => {
  it('strips a UTF-8 BOM and says so', () => {
    const d = decodeCsvBytes(Buffer.from('\ufeffUPN,Forename\nA1,Zoë\n', 'utf8'));
    assert.equal(d.encoding, 'utf-8-bom');
    assert.equal(d.text, 'UPN,Forename\nA1,Zoë\n');
  });

  it('reads plain UTF-8', () => {
    const d = decodeCsvBytes(Buffer.from('UPN,Forename\nA1,Siân\n', 'utf8'));
    assert.equal(d.encoding, 'utf-8');
    assert.match(d.text, /Siân/);
  });

  it('falls back to Windows-1252 when the bytes are not UTF-8', () => {
    const bytes = iconv.encode('UPN,Forename,Surname\nA1,Zoë,Ó Briain\nA2,Siân,O’Neill\n', 'win1252');
    const d = decodeCsvBytes(bytes);
    assert.equal(d.encoding, 'windows-1252');
    assert.equal(d.text, 'UPN,Forename,Surname\nA1,Zoë,Ó Briain\nA2,Siân,O’Neill\n');
  });

  it('reads UTF-16 with a BOM in either byte order', () => {
    const le = decodeCsvBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('UPN\tForename\nA1\tZoë\n', 'utf16le')]));
    assert.equal(le.encoding, 'utf-16le');
    assert.equal(le.text, 'UPN\tForename\nA1\tZoë\n');
    const be = decodeCsvBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode('UPN,Forename\nA1,Zoë\n', 'utf16be')]));
    assert.equal(be.encoding, 'utf-16be');
    assert.equal(be.text, 'UPN,Forename\nA1,Zoë\n');
  });
});

describe('parsing CSV', () => {
  it('keeps quoted commas and newlines and numbers records by their first line', () => {
    const parsed = parseCsv('UPN,Surname,Note\r\nA1,"Smith, Jr","line one\r\nline two"\r\n\r\nA2, Jones ,""\r\n,,\r\n');
    assert.deepEqual(parsed.headers, ['UPN', 'Surname', 'Note']);
    assert.deepEqual(parsed.rows, [
      { line: 2, values: ['A1', 'Smith, Jr', 'line one\nline two'] },
      { line: 5, values: ['A2', 'Jones', ''] },
    ]);
  });

  it('reads the tab-separated text Excel saves as "Unicode Text"', () => {
    const parsed = parseCsv('UPN\tForename\nA1\tZoë\n');
    assert.equal(parsed.delimiter, '\t');
    assert.deepEqual(parsed.rows[0]?.values, ['A1', 'Zoë']);
  });

  it('names the line where an unclosed quote opens', () => {
    const error = csvError(() => parseCsv('UPN,Surname\nA1,Smith\nA2,"Jones\nA3,Brown\nA4,Green\n'));
    assert.equal(error.id, 'invalid_csv');
    assert.match(error.message, /^Line 3: .*closing quote/);
    assert.deepEqual(error.details, { line: 3 });
  });

  it('names the line with the wrong number of columns', () => {
    const error = csvError(() => parseCsv('UPN,Surname\nA1,Smith\nA2,Jones,extra\n'));
    assert.equal(error.id, 'invalid_csv');
    assert.equal(error.message, 'Line 3: expected 2 columns, as in the header row, but found 3.');
  });

  it('refuses an empty file', () => {
    assert.equal(csvError(() => parseCsv('\r\n  \r\n')).message, 'The file is empty.');
  });
});

describe('reading cell values', () => {
  it('understands the ways MIS exports write year groups', () => {
    const read = (v: string) => {
      const r = parseYearGroup(v);
      return r.ok ? r.value : r.reason;
    };
    assert.deepEqual(['Year 7', '7', 'Y7', 'NC Year 11', 'R', 'Reception', 'YR', 'Year 13'].map(read), [7, 7, 7, 11, 0, 0, 0, 13]);
    assert.match(String(read('Year 14')), /unknown year group "Year 14"/);
    assert.match(String(read('Nursery')), /unknown year group/);
  });

  it('reads UK and ISO dates and refuses impossible or future ones with the reason', () => {
    assert.deepEqual(parseDateOfBirth('03/09/2012', TODAY), { ok: true, value: '2012-09-03' });
    assert.deepEqual(parseDateOfBirth('2012-09-03', TODAY), { ok: true, value: '2012-09-03' });
    assert.deepEqual(parseDateOfBirth('3/9/2012 00:00', TODAY), { ok: true, value: '2012-09-03' });
    assert.deepEqual(parseDateOfBirth('31/02/2012', TODAY), { ok: false, reason: 'invalid date "31/02/2012": there is no such day' });
    assert.deepEqual(parseDateOfBirth('01/01/2030', TODAY), { ok: false, reason: 'invalid date "01/01/2030": it is in the future' });
    assert.equal(parseDateOfBirth('12/3/12', TODAY).ok, false);
  });

  it('reads role lists and names an unknown role', () => {
    assert.deepEqual(parseRoles('dsl; Network Manager'), { ok: true, value: ['dsl', 'network_manager'] });
    const bad = parseRoles('dsl;teacher');
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.reason, /unknown role "teacher"/);
  });
});

describe('mapping columns', () => {
  it('suggests fields from SIMS, Arbor and Bromcom headings', () => {
    const mapping = suggestMapping('students', ['Adno', 'Legal Surname', 'Legal Forename', 'NC Year', 'DOB', 'Reg Group', 'Notes']);
    assert.deepEqual(mapping, {
      misId: 'Adno',
      givenName: 'Legal Forename',
      familyName: 'Legal Surname',
      preferredName: null,
      yearGroup: 'NC Year',
      dateOfBirth: 'DOB',
      email: null,
      tutorGroup: 'Reg Group',
    });
  });

  it('lets an explicit mapping win and reports a missing required field', () => {
    const headers = ['Pupil Ref', 'Nom', 'Prénom', 'Year'];
    const auto = resolveMapping('students', headers);
    assert.deepEqual(
      auto.problems.map((p) => p.field),
      ['misId', 'givenName', 'familyName'],
    );
    const chosen = resolveMapping('students', headers, { misId: 'Pupil Ref', givenName: 'Prénom', familyName: 'Nom' });
    assert.deepEqual(chosen.problems, []);
    assert.deepEqual(
      [...chosen.columns],
      [
        ['misId', 0],
        ['givenName', 2],
        ['familyName', 1],
        ['yearGroup', 3],
      ],
    );
    const typo = resolveMapping('students', headers, { misId: 'Pupil Reference', givenName: 'Prénom', familyName: 'Nom' });
    assert.match(typo.problems[0]!.reason, /the column "Pupil Reference" chosen for .* is not in the file/);
  });
});
