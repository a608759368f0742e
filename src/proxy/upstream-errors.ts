/** Why the origin could not be reached, as a status and plain words for the error page. */
export function describeUpstreamError(err: NodeJS.ErrnoException, host: string): { status: 502 | 504; title: string; text: string } {
  switch (err.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NODATA':
    case 'EAI_NONAME':
      return {
        status: 502,
        title: 'Site not found',
        text: `The web filter could not find the address of ${host}. Check the spelling, or try again later.`,
      };
    case 'ECONNREFUSED':
      return { status: 502, title: 'Site not available', text: `${host} refused the connection. The site may be down; try again later.` };
    case 'ETIMEDOUT':
      return {
        status: 504,
        title: 'Site took too long',
        text: `${host} did not answer in time. The site may be busy or down; try again later.`,
      };
    default:
      return { status: 502, title: 'Site not available', text: `The connection to ${host} failed. Try again later.` };
  }
}

/** An error that reads as a timeout to `describeUpstreamError`. */
export function timeoutError(what: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${what} timed out`), { code: 'ETIMEDOUT' });
}
