import { describe, expect, it } from 'vitest';
import { escapeXml } from './xml-escape.js';

describe('escapeXml', () => {
  it('escapes the five predefined entities and nothing else', () => {
    expect(escapeXml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
    expect(escapeXml('wss://example.com/path?x=1')).toBe('wss://example.com/path?x=1');
    expect(escapeXml('é 日本 🙂')).toBe('é 日本 🙂');
  });

  it('escapes an existing entity again rather than trusting it', () => {
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
    expect(escapeXml('</Stream><Hangup/>')).toBe('&lt;/Stream&gt;&lt;Hangup/&gt;');
  });
});
