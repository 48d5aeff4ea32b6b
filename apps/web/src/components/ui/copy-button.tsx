'use client';
// Copies a text to the clipboard and says so; falls back to selecting it when the clipboard is unavailable.
import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { Button } from './button';

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 2500);
  }
  return (
    <span className="inline-flex items-center gap-2">
      <span aria-live="polite" className="text-xs font-medium text-green-800">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select the text instead' : ''}
      </span>
      <Button variant="secondary" size="sm" onClick={copy} data-state={state}>
        {state === 'copied' ? <Check size={14} aria-hidden="true" /> : <Copy size={14} aria-hidden="true" />}
        Copy<span className="sr-only"> {label}</span>
      </Button>
    </span>
  );
}

/** A titled, copyable block of configuration or shell text. */
export function CodeBlock({ title, text, hint }: { title: string; text: string; hint?: string }) {
  return (
    <figure className="overflow-hidden rounded-md border border-slate-200">
      <figcaption className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 bg-slate-50 px-3 py-1.5">
        <span className="text-sm font-medium text-slate-800">
          {title}
          {hint ? <span className="ml-2 font-normal text-slate-600">{hint}</span> : null}
        </span>
        <CopyButton text={text} label={title} />
      </figcaption>
      <pre
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable block must be reachable by keyboard.
        tabIndex={0}
        className="overflow-x-auto bg-slate-900 px-3 py-2.5 text-xs leading-relaxed text-slate-100"
        data-copy-source={title}
      >
        {text}
      </pre>
    </figure>
  );
}
