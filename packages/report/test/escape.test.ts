import { describe, expect, it } from 'vitest';
import { IdAllocator, escapeHtml, slug } from '../src/escape.js';
import { html, trusted } from '../src/html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
  it('prints null and undefined as nothing, numbers as text', () => {
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(3.5)).toBe('3.5');
  });
});

describe('html template', () => {
  it('escapes interpolations, keeps trusted markup, flattens arrays', () => {
    const payload = '<img src=x onerror=alert(1)>';
    expect(html`<p title="${payload}">${payload}${trusted('<b>ok</b>')}${[payload, 1]}</p>`.markup).toBe(
      '<p title="&lt;img src=x onerror=alert(1)&gt;">&lt;img src=x onerror=alert(1)&gt;<b>ok</b>&lt;img src=x onerror=alert(1)&gt;1</p>',
    );
  });
});

describe('ids', () => {
  it('slugs to letters, digits and hyphens', () => {
    expect(slug('Job outcome <13 weeks>', 'fig')).toBe('fig-job-outcome-13-weeks');
    expect(slug('<<>>', 'fig')).toBe('fig-x');
  });
  it('never hands out the same id twice', () => {
    const ids = new IdAllocator();
    expect([ids.next('a'), ids.next('a'), ids.next('A'), ids.next('b')]).toEqual(['id-a', 'id-a-2', 'id-a-3', 'id-b']);
  });
});
