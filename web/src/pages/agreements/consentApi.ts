import type {
  ConsentChange,
  GroupConsent,
  GroupOption,
  GroupPupil,
  ImageUse,
  StudentConsent,
  StudentRef,
  UseState,
} from '../../../../src/consent/wire';
import { request } from '../../api';

export type { ConsentChange, GroupConsent, GroupOption, GroupPupil, ImageUse, StudentConsent, StudentRef, UseState };

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
