/** Notifications: in-app rows for a person, and e-mail when SMTP is configured. */
export { type MailMessage, type Mailer, smtpMailer } from './mailer.js';
export { notificationRoutes } from './routes.js';
export {
  createNotifications,
  listNotifications,
  markNotificationRead,
  type NewNotification,
  type NotificationView,
  peopleInRoles,
} from './service.js';
