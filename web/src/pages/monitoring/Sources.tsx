import { type FormEvent, useState } from 'react';
import { useAnnounce } from '../../components/Announcer';
import { Badge } from '../../components/Badge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApi, useSubmit } from '../../components/hooks';
import { OneTimeSecret } from '../../components/OneTimeSecret';
import { Page } from '../../components/Page';
import { TableWrap } from '../../components/TableWrap';
import { formatDateTime } from '../../labels';
import { type MonitorSource, SYSLOG_FORMATS, type SyslogFormat, sourcesApi } from './sourcesApi';
import './sources.css';

const KIND_LABELS: Record<MonitorSource['kind'], string> = {
  capture: 'Capture API key',
  syslog: 'Syslog sender',
  file: 'Log file',
};

/** Where activity beyond the school's own filter comes from: capture API keys and syslog senders. */
export function Sources() {
  const announce = useAnnounce();
  const sources = useApi(() => sourcesApi.list(), []);
  const [secret, setSecret] = useState<{ name: string; key: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const revoke = async (source: MonitorSource) => {
    const what =
      source.kind === 'capture'
        ? `The key ${source.keyHint}… stops working at once.`
        : `Syslog from ${source.address} is no longer taken in.`;
    if (!window.confirm(`Revoke "${source.name}"? ${what}`)) return;
    setBusy(source.id);
    setError(null);
    try {
      await sourcesApi.revoke(source.id);
      announce(`Revoked ${source.name}.`);
      sources.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Page title="Monitoring sources" lead="Systems that send activity to be stored and scanned, besides Tutela's own filter.">
      {secret && (
        <OneTimeSecret
          title={`Capture key for ${secret.name}: copy it now, it will not be shown again`}
          username={secret.name}
          password={secret.key}
          onDone={() => setSecret(null)}
        />
      )}
      <ErrorNotice error={error} action="change monitoring sources" />
      <ErrorNotice error={sources.error} action="manage monitoring sources" />
      <p role="status" className="result-count">
        {sources.loading ? 'Loading sources…' : sources.data ? `${sources.data.length} source${sources.data.length === 1 ? '' : 's'}` : ''}
      </p>
      {sources.data && sources.data.length > 0 && (
        <TableWrap label="Sources">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Key or sender</th>
                <th scope="col">Added</th>
                <th scope="col">Last event</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {sources.data.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.name}</th>
                  <td>{KIND_LABELS[s.kind]}</td>
                  <td>
                    {s.kind === 'capture' ? (
                      <code>{s.keyHint}…</code>
                    ) : (
                      <>
                        <code>{s.address}</code> {SYSLOG_FORMATS.find((f) => f.id === s.format)?.label ?? s.format}
                      </>
                    )}
                  </td>
                  <td>
                    {formatDateTime(s.createdAt)}
                    {s.createdBy && <span className="muted"> by {s.createdBy}</span>}
                  </td>
                  <td>{formatDateTime(s.lastEventAt)}</td>
                  <td>
                    {s.revokedAt ? (
                      <Badge tone="neutral">{`Revoked ${formatDateTime(s.revokedAt)}`}</Badge>
                    ) : (
                      <Badge tone="good">Active</Badge>
                    )}
                  </td>
                  <td>
                    {!s.revokedAt && (
                      <button
                        type="button"
                        className="danger small"
                        disabled={busy !== null}
                        aria-label={`Revoke ${s.name}`}
                        onClick={() => void revoke(s)}
                      >
                        {busy === s.id ? 'Working…' : 'Revoke'}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {!sources.error && (
        <div className="sources-forms">
          <AddCaptureKey
            onAdded={(source, key) => {
              setSecret({ name: source.name, key });
              sources.reload();
            }}
          />
          <AddSyslogSender
            onAdded={(source) => {
              announce(`Syslog sender ${source.name} added.`);
              sources.reload();
            }}
          />
        </div>
      )}
      <CaptureExample />
    </Page>
  );
}

function AddCaptureKey({ onAdded }: { onAdded: (source: MonitorSource, key: string) => void }) {
  const [name, setName] = useState('');
  const { busy, error, run } = useSubmit();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const made = await sourcesApi.addCapture(name.trim());
      setName('');
      onAdded(made.source, made.key);
    });
  };
  return (
    <form className="panel stack" aria-labelledby="add-capture-title" onSubmit={submit}>
      <h2 id="add-capture-title">Add a capture API key</h2>
      <p>For a system that sends text: e-mail, chat, documents, typed text. Each system gets its own key, so one can be revoked alone.</p>
      <ErrorNotice error={error} action="add a capture key" />
      <div className="field">
        <label htmlFor="capture-name">Name of the sending system</label>
        <input
          id="capture-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={100}
          required
          placeholder="Office 365 mail"
        />
      </div>
      <button type="submit" disabled={busy || !name.trim()}>
        {busy ? 'Adding…' : 'Add key'}
      </button>
    </form>
  );
}

function AddSyslogSender({ onAdded }: { onAdded: (source: MonitorSource) => void }) {
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [format, setFormat] = useState<SyslogFormat>('squid');
  const { busy, error, run } = useSubmit();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const made = await sourcesApi.addSyslog({ name: name.trim(), address: address.trim(), format });
      setName('');
      setAddress('');
      onAdded(made.source);
    });
  };
  return (
    <form className="panel stack" aria-labelledby="add-syslog-title" onSubmit={submit}>
      <h2 id="add-syslog-title">Add a syslog sender</h2>
      <p>
        A proxy or filter that sends its log over syslog. A registered sender's messages are filed under this school and read in the format
        chosen here; in a trust, register every sender.
      </p>
      <ErrorNotice error={error} action="add a syslog sender" />
      <div className="field">
        <label htmlFor="syslog-name">Name</label>
        <input id="syslog-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required placeholder="Squid proxy" />
      </div>
      <div className="field">
        <label htmlFor="syslog-address">Sender's IP address</label>
        <input
          id="syslog-address"
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          maxLength={64}
          required
          inputMode="decimal"
          placeholder="10.0.0.2"
          autoComplete="off"
        />
      </div>
      <div className="field">
        <label htmlFor="syslog-format">What it sends</label>
        <select id="syslog-format" value={format} onChange={(e) => setFormat(e.target.value as SyslogFormat)}>
          {SYSLOG_FORMATS.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={busy || !name.trim() || !address.trim()}>
        {busy ? 'Adding…' : 'Add sender'}
      </button>
    </form>
  );
}

function CaptureExample() {
  const example = [
    `curl -X POST ${window.location.origin}/api/monitor/captures \\`,
    `  -H 'Authorization: Bearer tut_…your key…' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d '{"events": [{"kind": "chat", "username": "jane.smith", "text": "the message", "at": "${new Date().toISOString().slice(0, 19)}Z"}]}'`,
  ].join('\n');
  return (
    <section className="panel" aria-labelledby="capture-example-title">
      <h2 id="capture-example-title">Sending captures</h2>
      <p>
        Up to 1000 events per request, each with <code>text</code> or a <code>url</code>. The answer <code>202</code> comes once every event
        is stored; on <code>503</code> wait for the <code>Retry-After</code> seconds and send the same request again.
      </p>
      <pre className="sources-example">
        <code>{example}</code>
      </pre>
    </section>
  );
}
