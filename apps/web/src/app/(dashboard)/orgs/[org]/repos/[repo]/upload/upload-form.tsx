'use client';
// Uploads package files to POST /api/v1/orgs/{org}/repos/{repo}/packages with the session cookie, one
// XMLHttpRequest per file so that each gets a real progress bar, then follows each package until it is
// published or failed.
import { CheckCircle2, FileUp, XCircle } from 'lucide-react';
import Link from 'next/link';
import { type DragEvent, useCallback, useId, useRef, useState } from 'react';
import { formatBytes } from '@/components/format';
import { Alert } from '@/components/ui/alert';
import { cn } from '@/components/ui/cn';
import { Field, Input } from '@/components/ui/field';
import { Progress } from '@/components/ui/progress';
import { StatusBadge } from '../status-badge';

const DISTRIBUTIONS = {
  deb: ['debian/bookworm', 'debian/trixie', 'ubuntu/jammy', 'ubuntu/noble', 'any/any'],
  rpm: ['el/8', 'el/9', 'el/10', 'fedora/41', 'fedora/42', 'opensuse/15.6', 'any/any'],
};

type Phase = 'uploading' | 'processing' | 'published' | 'failed' | 'rejected';

interface Item {
  key: string;
  file: File;
  distribution: string;
  progress: number;
  phase: Phase;
  message?: string;
  packageId?: string;
}

function formatOf(name: string): 'deb' | 'rpm' | null {
  if (name.endsWith('.deb')) return 'deb';
  if (name.endsWith('.rpm')) return 'rpm';
  return null;
}

export function UploadForm({
  org,
  repo,
  defaultDeb,
  defaultRpm,
}: {
  org: string;
  repo: string;
  defaultDeb: string;
  defaultRpm: string;
}) {
  const [items, setItems] = useState<Item[]>([]);
  const [dragging, setDragging] = useState(false);
  const [debDist, setDebDist] = useState(defaultDeb);
  const [rpmDist, setRpmDist] = useState(defaultRpm);
  const [component, setComponent] = useState('main');
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = useId();
  const api = `/api/v1/orgs/${encodeURIComponent(org)}/repos/${encodeURIComponent(repo)}/packages`;

  const update = useCallback((key: string, patch: Partial<Item>) => {
    setItems((all) => all.map((i) => (i.key === key ? { ...i, ...patch } : i)));
  }, []);

  const follow = useCallback(
    (key: string, id: string) => {
      const poll = async () => {
        try {
          const res = await fetch(`${api}/${id}`, { cache: 'no-store' });
          if (res.ok) {
            const p = (await res.json()) as { status: string; error?: string };
            if (p.status === 'published') return update(key, { phase: 'published' });
            if (p.status === 'failed') return update(key, { phase: 'failed', message: p.error });
          }
        } catch {
          // A network hiccup: try again on the next tick.
        }
        setTimeout(poll, 1500);
      };
      setTimeout(poll, 1000);
    },
    [api, update],
  );

  const send = useCallback(
    (item: Item) => {
      const body = new FormData();
      body.append('distribution', item.distribution);
      if (formatOf(item.file.name) === 'deb') body.append('component', component || 'main');
      body.append('file', item.file, item.file.name);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', api);
      xhr.responseType = 'json';
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) update(item.key, { progress: (e.loaded / e.total) * 100 });
      };
      xhr.onload = () => {
        const data = xhr.response as { id?: string; status?: string; error?: { message?: string } } | null;
        if (xhr.status === 200 || xhr.status === 202) {
          const id = data?.id;
          const phase: Phase = data?.status === 'published' ? 'published' : 'processing';
          update(item.key, { progress: 100, phase, packageId: id });
          if (id && phase === 'processing') follow(item.key, id);
        } else {
          update(item.key, {
            phase: 'rejected',
            message: data?.error?.message ?? `The server refused the upload (HTTP ${xhr.status}).`,
          });
        }
      };
      xhr.onerror = () =>
        update(item.key, {
          phase: 'rejected',
          message: 'The connection failed during the upload. Try again.',
        });
      xhr.send(body);
    },
    [api, component, follow, update],
  );

  const addFiles = useCallback(
    (files: FileList | File[]) => {
      const added: Item[] = [];
      for (const file of Array.from(files)) {
        const format = formatOf(file.name);
        const item: Item = {
          key: `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`,
          file,
          distribution: format === 'rpm' ? rpmDist : debDist,
          progress: 0,
          phase: 'uploading',
        };
        if (!format) {
          item.phase = 'rejected';
          item.message = 'Not a package Pallet hosts: choose .deb or .rpm files.';
        }
        added.push(item);
      }
      setItems((all) => [...added, ...all]);
      for (const item of added) if (item.phase === 'uploading') send(item);
    },
    [debDist, rpmDist, send],
  );

  const onDrop = (e: DragEvent<HTMLElement>) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length) addFiles(e.dataTransfer.files);
  };

  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_18rem] lg:items-start">
      <div>
        <label
          htmlFor="package-files"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="dropzone"
          className={cn(
            'flex cursor-pointer flex-col items-center justify-center rounded-lg border-2 border-dashed px-6 py-12 text-center transition-colors focus-within:outline-2 focus-within:outline-indigo-600',
            dragging ? 'border-indigo-500 bg-indigo-50' : 'border-slate-300 bg-white hover:border-slate-400',
          )}
        >
          <FileUp size={36} aria-hidden="true" className="text-slate-500" />
          <span className="mt-3 text-base font-medium text-slate-900">Drop .deb and .rpm files here</span>
          <span className="mt-1 text-sm text-slate-600">or click to choose files</span>
          <input
            ref={inputRef}
            id="package-files"
            type="file"
            multiple
            accept=".deb,.rpm,application/vnd.debian.binary-package,application/x-rpm"
            className="sr-only"
            onChange={(e) => {
              if (e.target.files?.length) addFiles(e.target.files);
              e.target.value = '';
            }}
          />
        </label>

        {items.length > 0 ? (
          <ul aria-label="Uploads" id={listId} className="mt-4 space-y-2">
            {items.map((item) => (
              <li
                key={item.key}
                data-upload={item.file.name}
                data-phase={item.phase}
                className="rounded-md border border-slate-200 bg-white px-3 py-2.5"
              >
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <div className="min-w-0">
                    <p className="truncate text-sm font-medium text-slate-900">{item.file.name}</p>
                    <p className="text-xs text-slate-600">
                      {formatBytes(item.file.size)} · {item.distribution}
                    </p>
                  </div>
                  <PhaseLabel item={item} />
                </div>
                {item.phase === 'uploading' ? (
                  <div className="mt-2">
                    <Progress value={item.progress} label={`Uploading ${item.file.name}`} />
                  </div>
                ) : null}
                {item.message ? (
                  <p
                    className={cn(
                      'mt-1.5 text-xs',
                      item.phase === 'failed' || item.phase === 'rejected'
                        ? 'text-red-800'
                        : 'text-slate-600',
                    )}
                  >
                    {item.message}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-4 text-sm text-slate-600">
            Files upload as soon as you drop them. Pallet checks each package, adds it to the distribution’s
            index and signs a new publication, usually within seconds.
          </p>
        )}
        {items.some((i) => i.phase === 'published') ? (
          <Alert tone="success" className="mt-4">
            Published.{' '}
            <Link href={`/orgs/${org}/repos/${repo}`} className="underline">
              See the packages
            </Link>{' '}
            or{' '}
            <Link href={`/orgs/${org}/repos/${repo}/setup`} className="underline">
              set up a machine
            </Link>
            .
          </Alert>
        ) : null}
      </div>

      <aside
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
        aria-label="Upload settings"
      >
        <Field id="deb-distribution" label=".deb distribution" hint="Where .deb files go, as distro/release.">
          <Input
            id="deb-distribution"
            list="deb-distributions"
            value={debDist}
            onChange={(e) => setDebDist(e.target.value.trim())}
            aria-describedby="deb-distribution-hint"
          />
          <datalist id="deb-distributions">
            {DISTRIBUTIONS.deb.map((d) => (
              <option key={d} value={d} />
            ))}
          </datalist>
        </Field>
        <Field id="component" label=".deb component" hint="Usually main.">
          <Input
            id="component"
            value={component}
            onChange={(e) => setComponent(e.target.value.trim())}
            aria-describedby="component-hint"
          />
        </Field>
        <Field
          id="rpm-distribution"
          label=".rpm distribution"
          hint="Where .rpm files go, e.g. el/9 or fedora/41."
        >
          <Input
            id="rpm-distribution"
            list="rpm-distributions"
            value={rpmDist}
            onChange={(e) => setRpmDist(e.target.value.trim())}
            aria-describedby="rpm-distribution-hint"
          />
          <datalist id="rpm-distributions">
            {DISTRIBUTIONS.rpm.map((d) => (
              <option key={d} value={d} />
            ))}
          </datalist>
        </Field>
      </aside>
    </div>
  );
}

function PhaseLabel({ item }: { item: Item }) {
  switch (item.phase) {
    case 'uploading':
      return <span className="text-xs text-slate-700 tabular-nums">{Math.round(item.progress)}%</span>;
    case 'processing':
      return <StatusBadge status="processing" />;
    case 'published':
      return (
        <span className="inline-flex items-center gap-1 text-xs font-medium text-green-800">
          <CheckCircle2 size={14} aria-hidden="true" />
          published
        </span>
      );
    case 'failed':
      return <StatusBadge status="failed" />;
    case 'rejected':
      return (
        <span className="inline-flex items-center gap-1 text-xs font-medium text-red-800">
          <XCircle size={14} aria-hidden="true" />
          rejected
        </span>
      );
  }
}
