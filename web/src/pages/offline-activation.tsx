import { useState } from 'react';
import { answer, api, ApiError, errorMessage, type Schemas } from '../api';
import { useKeptState } from '../kept';
import { Link } from '../router';
import { useSession } from '../session';
import { endSentence } from '../../../src/domain/sentence';

type Answer = Schemas['OfflineFileAnswer'];

const DONE = { activation: 'The installation is activated.', refresh: 'The license of the installation is renewed.', deactivation: 'The installation is deactivated; its seat is free again.' } as const;

/** Hands a file to the browser as a download, named as the server named it. */
function saveFile(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Offline activation and validation: a machine without internet writes a request file; its answer goes back by hand. */
export function OfflineActivation() {
  const { account } = useSession();
  // The answer is kept as well: the server answers a request once, so losing it would strand the computer.
  const [file, setFile] = useKeptState('offline-activation:request', '');
  const [fileName, setFileName] = useKeptState<string | null>('offline-activation:file-name', null);
  const [error, setError] = useState<string | null>(null);
  const [reply, setReply] = useKeptState<Answer | null>('offline-activation:answer', null);
  const [busy, setBusy] = useState(false);

  return (
    <section className="narrow">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/installations">Installations</Link> › <span aria-current="page">Offline activation</span>
      </nav>
      <div className="page-head">
        <h1>Offline activation</h1>
        <p className="muted">For computers without internet access: upload the request file the product wrote, then carry the answer file back to that computer.</p>
      </div>
      <form
        className="panel"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setReply(null);
          if (!file.trim()) {
            setError('Choose the request file or paste its content');
            return;
          }
          setBusy(true);
          setError(null);
          try {
            setReply(await answer(api.POST('/api/v1/accounts/{accountId}/offline-files', { params: { path: { accountId: account.id } }, body: { file: file.trim() } })));
          } catch (err) {
            setError(
              err instanceof ApiError && err.code === 'offline_not_enabled'
                ? `${endSentence(`Offline activation is not enabled for ${account.name}`)} Ask your vendor to turn it on for your account, or connect the computer to the internet to activate.`
                : errorMessage(err),
            );
          } finally {
            setBusy(false);
          }
        }}
      >
        <div className="field">
          <label htmlFor="offline-file">Request file</label>
          <input
            id="offline-file"
            type="file"
            onChange={async (e) => {
              const chosen = e.target.files?.[0];
              setError(null);
              setFileName(chosen?.name ?? null);
              setFile(chosen ? await chosen.text() : '');
            }}
          />
        </div>
        <p className="or">or</p>
        <div className="field">
          <label htmlFor="offline-text">Paste the request</label>
          <textarea
            id="offline-text"
            className="mono"
            rows={6}
            value={file}
            aria-invalid={error ? true : undefined}
            aria-describedby="offline-error"
            onChange={(e) => {
              setFileName(null);
              setError(null);
              setFile(e.target.value);
            }}
          />
          {fileName && <p className="hint">From {fileName}</p>}
        </div>
        <p className="form-error" id="offline-error" role="alert" hidden={!error}>
          {error}
        </p>
        <div className="form-actions">
          <button className="button primary" disabled={busy}>
            Upload request
          </button>
        </div>
      </form>
      {reply && (
        <div className="panel" role="status">
          <h2>{DONE[reply.kind]}</h2>
          {reply.file && reply.fileName ? (
            <>
              <p>Download the answer file and open it with the product on that computer.</p>
              <button type="button" className="button primary" onClick={() => saveFile(reply.fileName!, reply.file!)}>
                Download {reply.fileName}
              </button>
            </>
          ) : (
            <p>There is no file to carry back.</p>
          )}
        </div>
      )}
    </section>
  );
}
