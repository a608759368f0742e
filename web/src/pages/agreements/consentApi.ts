import { request } from '../../api';

export type ImageUse = 'website' | 'social_media' | 'press' | 'displays' | 'video';

/** Each use in the words a parent reads on the consent form, with what it means in practice. */
export const IMAGE_USES: { id: ImageUse; label: string; short: string; explanation: string }[] = [
  {
    id: 'website',
    label: 'Photos on the school website',
    short: 'website',
    explanation: 'Pictures of school life on our public website, which anyone can see. We never add a full name.',
  },
  {
    id: 'social_media',
    label: "Photos on the school's social media",
    short: 'social media',
    explanation: "Posts on the school's own social media accounts, which can be shared beyond the school.",
  },
  {
    id: 'press',
    label: 'Photos in newspapers and the press',
    short: 'press',
    explanation: 'Local newspapers or news websites covering a school event, sometimes with the child’s name.',
  },
  {
    id: 'displays',
    label: 'Photos on displays inside school',
    short: 'displays',
    explanation: 'Noticeboards, classroom walls and screens inside the school building, seen by pupils, staff and visitors.',
  },
  {
    id: 'video',
    label: 'Video of school events',
    short: 'video',
    explanation: 'Recordings of plays, concerts and sports days, shared with families of the school.',
  },
];

export const labelOf = (use: ImageUse) => IMAGE_USES.find((u) => u.id === use)?.label ?? use;

export interface StudentRef {
  id: string;
  name: string;
  yearGroup: number | null;
}

export interface UseState {
  use: ImageUse;
  granted: boolean;
  changedAt: string | null;
  changedByName: string | null;
}

export interface ConsentChange {
  id: string;
  use: ImageUse;
  granted: boolean;
  changedAt: string;
  changedByName: string;
  note: string | null;
}

export interface StudentConsent {
  student: StudentRef;
  uses: UseState[];
  history: ConsentChange[];
}

export interface GroupOption {
  id: string;
  name: string;
  kind: string;
  yearGroup: number | null;
  mine: boolean;
}

export interface GroupPupil {
  id: string;
  name: string;
  yearGroup: number | null;
  granted: boolean;
  allowed: Record<ImageUse, boolean>;
}

export interface GroupConsent {
  group: { id: string; name: string; kind: string; yearGroup: number | null };
  use: ImageUse;
  pupils: GroupPupil[];
  notAllowedCount: number;
}

const student = (id: string) => `/api/consent/students/${encodeURIComponent(id)}`;

export const consentApi = {
  mine: () => request<{ children: StudentConsent[] }>('GET', '/api/consent/mine'),
  student: (id: string) => request<StudentConsent>('GET', student(id)),
  set: (id: string, change: { use: ImageUse; granted: boolean; note?: string }) =>
    request<StudentConsent & { changed: boolean }>('PUT', student(id), change),
  groups: () => request<{ groups: GroupOption[] }>('GET', '/api/consent/groups'),
  group: (id: string, use: ImageUse) =>
    request<GroupConsent>('GET', `/api/consent/groups/${encodeURIComponent(id)}?use=${encodeURIComponent(use)}`),
};
