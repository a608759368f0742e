import type { ImportKind } from '../../types';

export const IMPORT_KINDS: Record<ImportKind, { label: string; description: string }> = {
  students: { label: 'Students', description: 'Pupils with their MIS id, names, year group and date of birth.' },
  staff: { label: 'Staff', description: 'Teaching and support staff with their MIS id, job title and email address.' },
  parents: { label: 'Parents and carers', description: 'Parents and carers, and which pupils each is linked to.' },
  classes: { label: 'Classes', description: 'Classes and tutor groups with their pupils and teachers.' },
};

const ACRONYMS: Record<string, string> = { mis: 'MIS', id: 'id', upn: 'UPN', dob: 'date of birth', urn: 'URN' };

/** `givenName` → "Given name", `mis_id` → "MIS id": the API names fields for code, people read labels. */
export function fieldLabel(field: string): string {
  const words = field
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .map((w) => ACRONYMS[w] ?? w);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The file's bytes as base64, so the server can detect the encoding MIS exports use (often Windows-1252). */
export function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(new Error(`Could not read ${file.name}.`));
    reader.readAsDataURL(file);
  });
}

/** What "the file is complete" means per kind; parent links have no leavers. */
export const LEAVERS: Partial<Record<ImportKind, { label: string; hint: string }>> = {
  students: {
    label: 'This file lists every student at the school',
    hint: 'Students with an MIS id who are not in the file will be marked as having left (never deleted). Untick this for a partial file, such as one year group.',
  },
  staff: {
    label: 'This file lists every member of staff',
    hint: 'Staff with an MIS id who are not in the file will be marked as having left (never deleted). Untick this for a partial file.',
  },
  classes: {
    label: 'This file lists every class',
    hint: 'Classes that are not in the file will be archived. Untick this for a partial file.',
  },
};
