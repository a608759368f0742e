import { ApiError } from '../api';
import { ErrorNotice } from './ErrorNotice';
import { Page } from './Page';

/**
 * The page a role without access sees: the same wording as when the server refuses, so the
 * client hiding a page and the server refusing it read alike.
 */
export function NotAllowed({ title, message, action }: { title: string; message: string; action: string }) {
  return (
    <Page title={title}>
      <ErrorNotice error={new ApiError(403, 'forbidden', message)} action={action} />
    </Page>
  );
}
