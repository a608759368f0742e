/** Category lists: UT1 import, the locked illegal lists, and what the engine and the UI read. */
export { importUt1, type CategoryImportReport, type ListImportReport, UT1_SOURCE } from './import.js';
export { isLockedSource, LOCKED_TEST_ENTRIES, LOCKED_TEST_SOURCE, type LockedListReport, refreshLockedLists } from './locked.js';
export { listsStamp, loadLists } from './load.js';
export { listRoutes } from './routes.js';
export { type ListScheduleLog, startListSchedule } from './schedule.js';
export { type CategoryListStatus, type ListImportRecord, type ListStatus, listImports, listStatus } from './status.js';
export { UT1_CATEGORY_MAP, ut1Category } from './ut1-map.js';
