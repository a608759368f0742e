import { useState, type FormEvent } from 'react';
import type { ImportKind } from '../../types';
import { IMPORT_KINDS } from './common';

export function KindStep({ initial, onNext }: { initial: ImportKind | null; onNext: (kind: ImportKind) => void }) {
  const [kind, setKind] = useState<ImportKind | null>(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (kind) onNext(kind);
  };
  return (
    <form onSubmit={submit} className="stack">
      <fieldset>
        <legend>What does the file contain?</legend>
        {(Object.keys(IMPORT_KINDS) as ImportKind[]).map((k) => (
          <div className="radio" key={k}>
            <input
              type="radio"
              id={`kind-${k}`}
              name="kind"
              value={k}
              checked={kind === k}
              onChange={() => setKind(k)}
              aria-describedby={`kind-${k}-hint`}
            />
            <label htmlFor={`kind-${k}`}>{IMPORT_KINDS[k].label}</label>
            <span className="hint" id={`kind-${k}-hint`}>
              {IMPORT_KINDS[k].description}
            </span>
          </div>
        ))}
      </fieldset>
      <p className="hint">Import students and staff before parents and classes, so there is someone to link them to.</p>
      <div>
        <button type="submit" disabled={!kind}>
          Continue
        </button>
      </div>
    </form>
  );
}
