import { Badge } from '../../components/Badge';
import { SEVERITY_TONES, severityLabel, type Severity } from './alertsApi';

/**
 * The excerpt with the matched words in a `<mark>`. The offsets come from the server; ones that
 * do not fit the text (an edited excerpt, a bad row) show the text unmarked rather than a wrong mark.
 */
export function Highlight({ text, start, end, className }: { text: string; start: number; end: number; className?: string }) {
  const fits = Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= text.length;
  if (!fits) return <span className={className}>{text}</span>;
  return (
    <span className={className}>
      {text.slice(0, start)}
      <mark>{text.slice(start, end)}</mark>
      {text.slice(end)}
    </span>
  );
}

/** Severity as a word in a badge; critical and high carry a marker too, so colour is never the only sign. */
export function SeverityBadge({ severity }: { severity: string }) {
  const tone = SEVERITY_TONES[severity as Severity] ?? 'neutral';
  return (
    <span className={`severity severity-${severity}`}>
      <Badge tone={tone}>{severityLabel(severity)}</Badge>
    </span>
  );
}
