import { useState } from 'react';
import { fill, useMessages } from './i18n';
import { sharedMessages } from './messages';
import { useSession } from './session';

/**
 * Downloads one of the server's CSV routes (`/history.csv`, `/reports/*.csv`). The routes take the
 * bearer token in the Authorization header, which a plain link cannot send, so the file is fetched
 * and handed to the browser as a download.
 */
export async function downloadCsv(options: { path: string; query: Record<string, string | undefined>; token: string; filename: string }): Promise<void> {
  const url = new URL(options.path, window.location.origin);
  for (const [key, value] of Object.entries(options.query)) if (value) url.searchParams.set(key, value);
  const response = await fetch(url, { headers: { authorization: `Bearer ${options.token}` } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { errors?: { message: string }[] } | null;
    throw new Error(body?.errors?.[0]?.message ?? `HTTP ${response.status}`);
  }
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = options.filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** A "Download CSV" button for a CSV route and its query. */
export function CsvDownloadButton(props: { path: string; query: Record<string, string | undefined>; filename: string; label?: string }) {
  const text = useMessages(sharedMessages);
  const { token } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      await downloadCsv({ ...props, token });
    } catch (failure) {
      setError(fill(text.downloadFailed, { message: (failure as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="csv-download">
      <button type="button" onClick={download} disabled={busy}>
        {props.label ?? text.downloadCsv}
      </button>
      {error && <span role="alert">{error}</span>}
    </span>
  );
}
