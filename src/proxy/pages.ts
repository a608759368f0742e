import { categoryLabel } from '../filter/categories.js';
import type { DecidingRule, FilterDecision } from '../filter/model.js';

/*
 * The pages the proxy itself answers with. They are small and self-contained (no scripts,
 * no external styles) because the browser shows them in place of the site asked for, and
 * every value in them is escaped: the host and path come from whoever made the request.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** The rule that decided, in words a pupil can follow. */
const RULE_WORDS: Record<DecidingRule, string> = {
  locked_list: 'it is on a list of illegal content that nobody in school can unblock',
  agreement_required: 'you must read and accept your acceptable use agreement before you can use the internet in school',
  sanction: 'your internet access is restricted for now',
  exception: 'a temporary exception for this site applies',
  person_list: 'it is on a block list set for you',
  group_list: 'it is on a block list set for your group or class',
  school_list: "it is on your school's block list",
  trust_list: "it is on your trust's block list",
  matrix: "your school's rules do not allow this kind of site for you at this time",
  profile_default: "it is not in any category, and your school's rules block sites like that for you",
};

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}h1{font-size:1.6rem}.detail{color:#555;font-size:.9rem}a.button{display:inline-block;padding:.6rem 1rem;background:#1d4ed8;color:#fff;border-radius:.3rem;text-decoration:none}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

/** The acceptance page lives in the same web app as the full block page `link` points to. */
export function agreementLink(link: string): string {
  try {
    return new URL('/agreements/mine', link).toString();
  } catch {
    return '/agreements/mine';
  }
}

/** The page for a person held until they accept their acceptable use agreement: what to do, and where. */
function agreementPage(host: string, link: string): string {
  const accept = agreementLink(link);
  return page(
    'Accept your acceptable use agreement first',
    `<p>Your school's web filter did not open <strong>${escapeHtml(host)}</strong> because you have not yet accepted this year's acceptable use agreement.</p>
<p>What to do next: open the link below, sign in to Tutela, read your agreement and choose Accept. Then try the site again; the filter lets you through within a few seconds.</p>
<p><a class="button" href="${escapeHtml(accept)}">Read and accept the agreement</a></p>
<p class="detail">If you cannot sign in, ask a member of staff. Only this page and Tutela itself are open until you accept.</p>`,
  );
}

/** The page for a blocked request, or for one that needs a click-through first (warn). */
export function decisionPage(decision: FilterDecision, host: string, link: string): string {
  if (decision.rule === 'agreement_required') return agreementPage(host, link);
  const category = decision.category ? categoryLabel(decision.category) : null;
  const why = category ? `It is in the category <strong>${escapeHtml(category)}</strong>, and ` : '';
  const reason = `<p>${why}${escapeHtml(RULE_WORDS[decision.rule])}.</p>`;
  const detail = decision.detail ? `<p class="detail">Details: ${escapeHtml(decision.detail)}</p>` : '';
  if (decision.action === 'warn') {
    return page(
      'Check before you continue',
      `<p>Your school's web filter asks you to stop and think before opening <strong>${escapeHtml(host)}</strong>.</p>
${reason}
${detail}
<p>What to do next: if you need this site, open the link below, read the warning and choose to continue. Your visit will be recorded. If you reached this site by mistake, go back.</p>
<p><a class="button" href="${escapeHtml(link)}">See why and continue</a></p>`,
    );
  }
  return page(
    'This site is blocked',
    `<p>Your school's web filter blocked <strong>${escapeHtml(host)}</strong>.</p>
${reason}
${detail}
<p>What to do next: if you need this site for your work, or you think it should not be blocked, open the link below to see more and report it. A member of staff will look at it. If you reached this site by mistake, go back.</p>
<p><a class="button" href="${escapeHtml(link)}">See why and report</a></p>`,
  );
}

/** A page for a request the proxy could not complete: the origin failed, or the request was not for a proxy. */
export function problemPage(title: string, explanation: string): string {
  return page(title, `<p>${escapeHtml(explanation)}</p>`);
}
