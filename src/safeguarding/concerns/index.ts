export {
  concernFromStudentReport,
  createConcern,
  type CreatedConcern,
  FUTURE_SKEW_MS,
  type NewConcern,
  type StudentReport,
} from './create.js';
export { appendConcernEntry, type EntryKind } from './entries.js';
export { concernMessage, concernRecipients, notifyNewConcern } from './notify.js';
export { PEOPLE_PICKER_LIMIT, type PickablePerson, searchPeople } from './people.js';
export { type ConcernSummary, type ConcernView, concernView, listConcerns, type Reader, readersOf } from './read.js';
